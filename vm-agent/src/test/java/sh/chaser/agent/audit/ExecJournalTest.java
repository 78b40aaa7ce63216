package sh.chaser.agent.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sh.chaser.proto.session.v1.ExecRecord;

/** What the journal holds outlives the agent, torn tails and partial confirmations. */
class ExecJournalTest {

    @TempDir
    Path dir;

    @Test
    void recordsOutliveTheAgentUntilConfirmed() throws Exception {
        ExecJournal journal = new ExecJournal(dir);
        journal.append(record("a"));
        journal.append(record("b"));
        journal.append(record("c"));
        var first = journal.pending(2, 0);
        assertEquals(List.of("a", "b"), ids(first));
        journal.confirmed(first.next());
        journal.close();

        // a crash before "c" was confirmed: the restarted agent sends it, and only it
        ExecJournal again = new ExecJournal(dir);
        var rest = again.pending(10, 0);
        assertEquals(List.of("c"), ids(rest));
        again.confirmed(rest.next());
        assertEquals(0, again.backlog());
        assertEquals(0, Files.size(dir.resolve("journal")), "emptied once everything is confirmed");
        again.append(record("d"));
        again.close();
        assertEquals(List.of("d"), ids(new ExecJournal(dir).pending(10, 0)));
    }

    @Test
    void aRecordTornByACrashIsCutOffAndLaterOnesAreKept() throws Exception {
        ExecJournal journal = new ExecJournal(dir);
        journal.append(record("whole"));
        journal.close();
        // the agent died in the middle of the next append: a length and half a record
        byte[] half = record("torn").toByteArray();
        Files.write(dir.resolve("journal"), new byte[]{ 0, 0, 0, (byte) half.length, half[0], half[1] },
                StandardOpenOption.APPEND);

        ExecJournal reopened = new ExecJournal(dir);
        reopened.append(record("after"));
        assertEquals(List.of("whole", "after"), ids(reopened.pending(10, 0)));
    }

    @Test
    void anOffsetBeyondTheFileMeansItWasEmptied() throws Exception {
        ExecJournal journal = new ExecJournal(dir);
        journal.append(record("x"));
        journal.close();
        // emptied after a confirmation, the crash came before the offset was written
        Files.write(dir.resolve("journal"), new byte[0]);
        Files.writeString(dir.resolve("sent"), "999");
        ExecJournal reopened = new ExecJournal(dir);
        reopened.append(record("y"));
        reopened.close();
        assertEquals(List.of("y"), ids(new ExecJournal(dir).pending(10, 0)),
                "a record appended after the restart is not skipped on the next one");
    }

    @Test
    void recordsAppendedWhileTheSenderLingersGoInItsBatch() throws Exception {
        ExecJournal journal = new ExecJournal(dir);
        journal.append(record("first"));
        var batch = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return journal.pending(10, 0, 2_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        journal.append(record("second"));
        journal.append(record("third"));
        assertEquals(List.of("first", "second", "third"),
                ids(batch.get(10, java.util.concurrent.TimeUnit.SECONDS)));
        // the control: without lingering, the batch is what was there when it was taken
        journal.confirmed(batch.get().next());
        journal.append(record("alone"));
        assertEquals(List.of("alone"), ids(journal.pending(10, 0, 0)));
    }

    private static ExecRecord record(String id) {
        return ExecRecord.newBuilder().setId(id).setSessionId("s").setExitCode(0).build();
    }

    private static List<String> ids(ExecJournal.Batch batch) throws IOException {
        return batch.records().stream().map(ExecRecord::getId).toList();
    }
}
