package sh.chaser.agent.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** One offset space for stdout and stderr, read back from any offset. */
class CommandOutputTest {

    @Test
    void readsFromAnyOffsetSplitWhereTheStreamChanges() throws Exception {
        Path file = Files.createTempFile("output", ".out");
        try (CommandOutput output = new CommandOutput(file, 1L << 20)) {
            output.append(false, bytes("hello "), 6);
            output.append(false, bytes("world\n"), 6);
            output.append(true, bytes("oops\n"), 5);
            output.end();
            var all = output.read(0, 1024, 0);
            assertThat(all).hasSize(2);
            assertThat(all.get(0).stream()).isEqualTo("stdout");
            assertThat(new String(all.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("hello world\n");
            assertThat(all.get(1).stream()).isEqualTo("stderr");
            assertThat(all.get(1).offset()).isEqualTo(12);
            var middle = output.read(9, 1024, 0);
            assertThat(middle.get(0).offset()).isEqualTo(9);
            assertThat(new String(middle.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("ld\n");
            assertThat(output.read(17, 1024, 0)).isEmpty();
            assertThat(output.ended()).isTrue();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void anAgentThatRestartsReadsTheOutputAndItsStreamsAgainAndAppendsAtItsEnd() throws Exception {
        Path dir = Files.createTempDirectory("commands");
        Path file = dir.resolve("c1.out");
        try {
            OutputBudget budget = new OutputBudget(100);
            CommandOutput before = new CommandOutput(file, 1L << 20, budget);
            before.append(false, bytes("out\n"), 4);
            before.append(true, bytes("err\n"), 4);
            before.close(); // the process dies here: nothing else is written

            OutputBudget again = new OutputBudget(100);
            try (CommandOutput after = CommandOutput.reopen(file, 1L << 20, again)) {
                assertThat(after.size()).isEqualTo(8);
                after.append(false, bytes("more\n"), 5);
                after.end();
                var all = after.read(0, 1024, 0);
                assertThat(all).extracting(CommandOutput.Chunk::stream).containsExactly("stdout", "stderr", "stdout");
                assertThat(all).extracting(c -> new String(c.data(), StandardCharsets.UTF_8))
                        .containsExactly("out\n", "err\n", "more\n");
                assertThat(again.take(100)).as("the reopened bytes count against the session's budget")
                        .isEqualTo(100 - 13);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void aReopenedOutputThatWasTruncatedStaysTruncated() throws Exception {
        Path dir = Files.createTempDirectory("commands");
        Path file = dir.resolve("c2.out");
        try {
            CommandOutput before = new CommandOutput(file, 6);
            before.append(false, bytes("0123456789"), 10);
            long size = before.size();
            before.close();
            try (CommandOutput after = CommandOutput.reopen(file, 6, OutputBudget.unlimited())) {
                after.append(false, bytes("late"), 4);
                assertThat(after.truncated()).isTrue();
                assertThat(after.size()).isEqualTo(size);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void aReaderWaitsForMoreOutput() throws Exception {
        Path file = Files.createTempFile("output", ".out");
        try (CommandOutput output = new CommandOutput(file, 1L << 20)) {
            Thread writer = new Thread(() -> {
                try {
                    output.append(false, bytes("late"), 4);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            var chunks = output.read(0, 1024, 10_000);
            writer.join();
            assertThat(chunks).isNotEmpty();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void outputBeyondTheCapIsDroppedAfterOneMarkerAndTheFileStaysSmall() throws Exception {
        Path file = Files.createTempFile("output", ".out");
        try (CommandOutput output = new CommandOutput(file, 10)) {
            output.append(false, bytes("0123456"), 7);
            // positive control: under the cap everything is kept
            assertThat(output.truncated()).isFalse();
            output.append(false, bytes("789abcdef"), 9);
            for (int i = 0; i < 1000; i++) {
                output.append(true, bytes("flood flood flood"), 17);
            }
            assertThat(output.truncated()).isTrue();
            var chunks = output.read(0, 1 << 20, 0);
            assertThat(new String(chunks.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("0123456789");
            assertThat(chunks.get(1).stream()).isEqualTo("stderr");
            assertThat(new String(chunks.get(1).data(), StandardCharsets.UTF_8))
                    .contains("output truncated after 10 bytes");
            assertThat(Files.size(file)).isLessThan(200);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void commandsOfOneSessionShareABudgetAndAForgottenCommandGivesItsBytesBack() throws Exception {
        OutputBudget budget = new OutputBudget(12);
        Path first = Files.createTempFile("output", ".out");
        Path second = Files.createTempFile("output", ".out");
        try (CommandOutput a = new CommandOutput(first, 10, budget);
                CommandOutput b = new CommandOutput(second, 10, budget)) {
            a.append(false, bytes("aaaaaaaa"), 8);
            assertThat(a.truncated()).as("positive control: under both caps").isFalse();
            b.append(false, bytes("bbbbbbbb"), 8);
            assertThat(b.truncated()).isTrue();
            var chunks = b.read(0, 1 << 20, 0);
            assertThat(new String(chunks.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("bbbb");
            assertThat(new String(chunks.get(1).data(), StandardCharsets.UTF_8)).contains("the session's 12 bytes");
            a.discard();
            assertThat(first).doesNotExist();
            assertThat(budget.take(100)).as("the first command's 8 bytes came back").isEqualTo(8);
        } finally {
            Files.deleteIfExists(first);
            Files.deleteIfExists(second);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
