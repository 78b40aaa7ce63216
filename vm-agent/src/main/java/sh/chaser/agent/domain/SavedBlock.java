package sh.chaser.agent.domain;

/**
 * A block of a paused sandbox's saved file: {@code data} at {@code offset} of a file of {@code size}
 * bytes (holes included), or, when {@code eof}, the news that nothing but zeros follows. {@code name}
 * names a {@link SavedFile#COMMAND} file and is empty for the others.
 */
public record SavedBlock(SavedFile file, String name, long offset, byte[] data, long size, boolean eof) {

    public SavedBlock {
        name = name == null ? "" : name;
        data = data == null ? new byte[0] : data;
        if (offset < 0 || size < 0 || offset + data.length > size) {
            throw AgentError.INVALID_REQUEST.exception("a block lies outside its file (offset " + offset + ", "
                    + data.length + " bytes, size " + size + ")");
        }
    }
}
