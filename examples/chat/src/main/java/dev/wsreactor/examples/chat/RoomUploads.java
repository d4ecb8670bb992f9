package dev.wsreactor.examples.chat;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.reactor.MessageWriter;
import dev.wsreactor.reactor.Session;
import dev.wsreactor.reactor.StreamingHandler;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Files shared into a room as they are uploaded ({@code /upload/{room}/{name}}): each binary message the uploader
 * sends is relayed, part by part as its frames arrive, to everyone in the room as one binary message of theirs, and
 * then announced with its size and SHA-256. Neither side holds the file whole: the server receives it in parts
 * ({@link StreamingHandler}) and writes it on in frames ({@link MessageWriter}).
 */
final class RoomUploads implements StreamingHandler {

    /** One upload in flight: its receivers' streams, its digest, its size so far. */
    private static final class Upload {
        final List<MessageWriter> receivers = new ArrayList<>();
        final MessageDigest sha256 = sha256();
        long bytes;
    }

    private final ChatRooms rooms;
    private final Map<Session, Upload> inFlight = new HashMap<>(); // one reactor: one thread, no lock

    RoomUploads(ChatRooms rooms) {
        this.rooms = rooms;
    }

    @Override
    public void onBinaryPart(Session uploader, ByteBuffer part, boolean last) {
        Upload upload = inFlight.computeIfAbsent(uploader, this::start);
        int start = part.position(); // every reader of the part starts here: no copy, no view per receiver
        upload.bytes += part.remaining();
        upload.sha256.update(part);
        for (MessageWriter receiver : upload.receivers) {
            part.position(start);
            receiver.write(part); // a receiver that left refuses it; the others go on
        }
        if (last) {
            inFlight.remove(uploader);
            upload.receivers.forEach(MessageWriter::finish);
            rooms.announce(room(uploader), "* " + ChatRooms.user(uploader) + " shared " + name(uploader) + " ("
                    + upload.bytes + " bytes, sha-256 " + HexFormat.of().formatHex(upload.sha256.digest()) + ")");
        }
    }

    @Override
    public void onTextPart(Session uploader, CharSequence part, boolean last) {
        uploader.close(CloseCode.UNSUPPORTED_DATA, "uploads are binary messages");
    }

    @Override
    public void onClose(Session uploader, CloseCode code, String reason) {
        Upload broken = inFlight.remove(uploader);
        if (broken != null) { // the receivers' messages must end too, or their other messages would wait for ever
            broken.receivers.forEach(MessageWriter::finish);
            rooms.announce(room(uploader), "* " + ChatRooms.user(uploader) + "'s upload of " + name(uploader)
                    + " broke off after " + broken.bytes + " bytes");
        }
    }

    private Upload start(Session uploader) {
        Upload upload = new Upload();
        for (Session member : rooms.members(room(uploader))) {
            try {
                upload.receivers.add(member.openBinaryStream());
            } catch (IllegalStateException receivingAnother) {
                // one stream at a time per session: a member receiving another upload hears of this one only
            }
        }
        return upload;
    }

    private static String room(Session session) {
        return session.pathParameter("room");
    }

    private static String name(Session session) {
        return session.pathParameter("name");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
