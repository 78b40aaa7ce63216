package sh.chaser.agent.domain;

/**
 * A block of a paused sandbox's saved file: {@code data} at {@code offset} of a file of {@code size}
 * bytes (holes included), or, when {@code eof}, the news that nothing but zeros follows. {@code name}
 * names a {@link SavedFile#COMMAND} file and is empty for the others.
 */
public record SavedBlock(SavedFile file, String name, long offset, byte[] data, long size, boolean eof) {

    /** A found block of {@code file}: its data at {@code offset}, or its end when {@code data} is null. */
    public static SavedBlock of(SavedFile file, String name, long offset, byte[] data, long size) {
        return data == null
                ? new SavedBlock(file, name, size, null, size, true)
                : new SavedBlock(file, name, offset, data, size, false);
    }

    public SavedBlock {
        name = name == null ? "" : name;
        data = data == null ? new byte[0] : data;
        if (offset < 0 || size < 0 || offset + data.length > size) {
            throw AgentError.INVALID_REQUEST.exception("a block lies outside its file (offset " + offset + ", "
                    + data.length + " bytes, size " + size + ")");
        }
    }
}
