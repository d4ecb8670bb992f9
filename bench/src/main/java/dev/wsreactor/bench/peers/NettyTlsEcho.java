package dev.wsreactor.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * The tuned Netty 4.1 peer of {@link NettyEpollEcho} (native epoll, one event loop, every frame written without a
 * flush and one flush per read batch), over TLS with Netty's {@code SslHandler} on the JDK's {@code SSLEngine}
 * ({@link SslProvider#JDK}, TLS 1.3 and 1.2), or over plain TCP when given no keystore: the same server both ways,
 * so that the difference is TLS alone. {@code TlsBench --netty} runs both in its process.
 *
 * <pre>java ... dev.wsreactor.bench.peers.NettyTlsEcho PORT [PKCS12_KEYSTORE PASSWORD]</pre>
 */
public final class NettyTlsEcho implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel listener;

    private NettyTlsEcho(EventLoopGroup group, Channel listener) {
        this.group = group;
        this.listener = listener;
    }

    /**
     * Serves on 127.0.0.1:{@code port} (0: a free one) on one event loop thread named {@code threadName}.
     *
     * @param port the port, or 0
     * @param tls the server's context from {@link #jdkContext}, or null for plain TCP
     * @param threadName the name of the event loop's thread, by which its CPU time can be found
     * @return the running server
     * @throws InterruptedException if interrupted while binding
     */
    public static NettyTlsEcho start(int port, SslContext tls, String threadName) throws InterruptedException {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("the native epoll transport is not available", Epoll.unavailabilityCause());
        }
        EventLoopGroup group = new EpollEventLoopGroup(1, runnable -> {
            Thread thread = new FastThreadLocalThread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder().websocketPath("/")
                .checkStartsWith(true).maxFramePayloadLength(64 << 20).build();
        Channel listener = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler(config), new NettyEpollEcho.BatchingEcho());
                    }
                }).bind("127.0.0.1", port).sync().channel();
        return new NettyTlsEcho(group, listener);
    }

    /**
     * A server context on the JDK's {@code SSLEngine} with the key and certificate of a PKCS#12 keystore.
     *
     * @param keystore the keystore, its key protected by the same password
     * @param password the keystore's password
     * @return the context
     * @throws Exception if the keystore cannot be read
     */
    public static SslContext jdkContext(Path keystore, char[] password) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, password);
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, password);
        return SslContextBuilder.forServer(factory).sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2")
                .build();
    }

    /**
     * The port it listens on.
     *
     * @return the port
     */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Runs the server until the process is killed.
     *
     * @param args the port, then optionally a PKCS#12 keystore and its password for TLS
     * @throws Exception if the keystore cannot be read or the port cannot be bound
     */
    public static void main(String[] args) throws Exception {
        SslContext tls = args.length > 2 ? jdkContext(Path.of(args[1]), args[2].toCharArray()) : null;
        NettyTlsEcho server = start(Integer.parseInt(args[0]), tls, "netty-echo");
        System.out.println("Netty epoll " + (tls == null ? "ws" : "wss") + " echo server listening on "
                + server.port());
        Thread.currentThread().join(); // until killed
    }
}
