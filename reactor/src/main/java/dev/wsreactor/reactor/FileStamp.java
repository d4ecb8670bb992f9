package dev.wsreactor.reactor;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * How a certificate's files stood when they were looked at: any difference in a real path, file (inode),
 * modification time or size is a change to read. A file replaced by a new one (a copy, a rename over it) is a new
 * inode, so even a replacement of the same size within the file system's time resolution is seen.
 *
 * @param files each file's state, in the source's order
 */
record FileStamp(List<FileState> files) {

    /**
     * One file.
     *
     * @param realPath the file its name led to, links resolved
     * @param fileKey what identifies the file on its file system (device and inode), or null where there is none
     * @param modified its modification time
     * @param size its size in bytes
     */
    record FileState(Path realPath, Object fileKey, FileTime modified, long size) {
    }

    FileStamp {
        files = List.copyOf(files);
    }

    /** The real paths, in order. */
    List<Path> paths() {
        return files.stream().map(FileState::realPath).toList();
    }
}
