package sh.chaser.agent.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A sender paused at a high mark is woken once the process has read the queue down to the low mark. */
class InputFeederTest {

    @Test
    void aWaiterRunsOnceWhatWaitsFellToTheMarkAndAtOnceWhenItIsThereAlready() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        OutputStream slow = new OutputStream() {

            @Override
            public void write(int b) {
                received.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    reading.await(); // the process does not read yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (received) {
                    received.write(b, off, len);
                }
            }
        };
        InputFeeder feeder = new InputFeeder(slow, 1L << 20, "test");
        for (int i = 0; i < 5; i++) {
            feeder.offer(new byte[64 * 1024], false);
        }
        assertTrue(feeder.pending() > 256 * 1024, "the queue holds what the process has not read");
        CountDownLatch woken = new CountDownLatch(1);
        feeder.whenPendingAtMost(64 * 1024, woken::countDown);
        assertFalse(woken.await(200, TimeUnit.MILLISECONDS), "not while 320 KiB wait");
        reading.countDown();
        assertTrue(woken.await(10, TimeUnit.SECONDS), "woken once the process read it down");
        CountDownLatch now = new CountDownLatch(1);
        feeder.whenPendingAtMost(1L << 20, now::countDown);
        assertEquals(0, now.getCount(), "at or below the mark already: run at once");
        feeder.close();
    }
}
