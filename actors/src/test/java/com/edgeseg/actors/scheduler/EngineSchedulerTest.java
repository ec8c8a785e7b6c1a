package com.edgeseg.actors.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.actors.scheduler.EngineScheduler.Cancelled;
import com.edgeseg.actors.scheduler.EngineScheduler.Command;
import com.edgeseg.actors.scheduler.EngineScheduler.Completed;
import com.edgeseg.actors.scheduler.EngineScheduler.Failed;
import com.edgeseg.actors.scheduler.EngineScheduler.Job;
import com.edgeseg.actors.scheduler.EngineScheduler.Limits;
import com.edgeseg.actors.scheduler.EngineScheduler.Priority;
import com.edgeseg.actors.scheduler.EngineScheduler.Queued;
import com.edgeseg.actors.scheduler.EngineScheduler.Rejected;
import com.edgeseg.actors.scheduler.EngineScheduler.Reply;
import com.edgeseg.actors.scheduler.EngineScheduler.Stats;
import com.edgeseg.actors.scheduler.EngineScheduler.Submit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The device scheduler with a device that records which job ran when: click work first, studies in turn,
 * bounded queues that refuse (and hold a producer) instead of growing, failures confined to their job.
 */
class EngineSchedulerTest {
    static final ActorTestKit KIT = ActorTestKit.create();
    static final Duration WAIT = Duration.ofSeconds(10);

    /** The device: a log of the jobs it ran, in order. */
    static final class Device {
        final List<String> ran = Collections.synchronizedList(new ArrayList<>());
    }

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private static Job<Device> job(String study, long id, Priority p, String name) {
        return new Job<>(study, id, p, name, d -> {
            d.ran.add(name);
            return name;
        });
    }

    /** A job that holds the device until {@code release} opens, so the queue fills behind it. */
    private static Job<Device> blocker(CountDownLatch release) {
        return new Job<>("blocker", 0, Priority.AUTO, "blocker", d -> {
            assertTrue(release.await(30, TimeUnit.SECONDS));
            return "released";
        });
    }

    @Test
    void clickWorkRunsFirstThenStudiesTakeTurns() {
        Device device = new Device();
        ActorRef<Command<Device>> s = KIT.spawn(EngineScheduler.create(device, Limits.defaults(), "prio"));
        TestProbe<Reply> probe = KIT.createTestProbe();
        CountDownLatch release = new CountDownLatch(1);
        s.tell(new Submit<>(blocker(release), probe.ref()));
        probe.expectMessageClass(Queued.class);
        String[][] submissions = {
                {"A", "AUTO", "a1"}, {"A", "AUTO", "a2"}, {"A", "AUTO", "a3"}, {"A", "AUTO", "a4"},
                {"B", "AUTO", "b1"}, {"B", "AUTO", "b2"},
                {"C", "CLICK", "c1"}, {"A", "CLICK", "ca1"}, {"C", "AUTO", "cauto1"}};
        long id = 1;
        for (String[] sub : submissions) {
            s.tell(new Submit<>(job(sub[0], id++, Priority.valueOf(sub[1]), sub[2]), probe.ref()));
            probe.expectMessageClass(Queued.class);
        }
        release.countDown();
        for (int i = 0; i < submissions.length + 1; i++) {
            probe.expectMessageClass(Completed.class, WAIT);
        }
        assertEquals(List.of("c1", "ca1", "a1", "b1", "cauto1", "a2", "b2", "a3", "a4"), device.ran,
                "clicks before automatic work; automatic work in turns A, B, C, A, B, ...");
    }

    @Test
    void aFullQueueRejectsAtOnceAndNeverGrows() {
        Device device = new Device();
        ActorRef<Command<Device>> s = KIT.spawn(EngineScheduler.create(device, new Limits(3, 100), "bounded"));
        TestProbe<Reply> probe = KIT.createTestProbe();
        CountDownLatch release = new CountDownLatch(1);
        s.tell(new Submit<>(blocker(release), probe.ref()));
        probe.expectMessageClass(Queued.class);
        int queued = 0;
        int rejected = 0;
        for (int i = 1; i <= 10; i++) {
            s.tell(new Submit<>(job("A", i, Priority.AUTO, "a" + i), probe.ref()));
            Reply r = probe.receiveMessage();
            if (r instanceof Queued) {
                queued++;
            } else {
                Rejected no = assertInstanceOf(Rejected.class, r);
                assertTrue(no.reason().contains("full (3 jobs)"), no.reason());
                rejected++;
            }
        }
        assertEquals(3, queued);
        assertEquals(7, rejected);
        // another study still has room: the bound is per study, so one flooding study cannot lock out the others
        s.tell(new Submit<>(job("B", 99, Priority.AUTO, "b"), probe.ref()));
        probe.expectMessageClass(Queued.class);
        release.countDown();
        for (int i = 0; i < 5; i++) {
            probe.expectMessageClass(Completed.class, WAIT);
        }
        assertEquals(List.of("a1", "b", "a2", "a3"), device.ran);
    }

    @Test
    void aProducerFasterThanTheDeviceIsHeldAndTheQueueStaysBounded() {
        Device device = new Device();
        int limit = 4;
        ActorRef<Command<Device>> s = KIT.spawn(EngineScheduler.create(device, new Limits(limit, limit), "held"));
        TestProbe<Reply> probe = KIT.createTestProbe();
        int total = 40;
        int done = 0;
        int held = 0;
        // the producer offers work as fast as it can, one offer at a time; a refusal holds it until one of its
        // jobs finished, then it offers the same job again
        for (long id = 1; id <= total; id++) {
            long jobId = id;
            boolean accepted = false;
            while (!accepted) {
                s.tell(new Submit<>(new Job<>("fast", jobId, Priority.AUTO, "w" + jobId, d -> {
                    Thread.sleep(5); // a device slower than the producer
                    d.ran.add("w" + jobId);
                    return null;
                }), probe.ref()));
                Reply r = probe.receiveMessage(WAIT);
                while (r instanceof Completed) {
                    done++;
                    r = probe.receiveMessage(WAIT);
                }
                if (r instanceof Queued) {
                    accepted = true;
                } else {
                    assertInstanceOf(Rejected.class, r);
                    held++;
                    probe.expectMessageClass(Completed.class, WAIT);
                    done++;
                }
            }
        }
        while (done < total) {
            probe.expectMessageClass(Completed.class, WAIT);
            done++;
        }
        TestProbe<Stats> stats = KIT.createTestProbe();
        s.tell(new EngineScheduler.GetStats<>(stats.ref()));
        Stats st = stats.receiveMessage();
        assertTrue(held > 0, "the producer was held at least once");
        assertTrue(st.maxQueued() <= limit, "queue never grew beyond its bound: " + st);
        assertEquals(total, device.ran.size());
        assertEquals(total, st.completed());
        for (int i = 0; i < total; i++) {
            assertEquals("w" + (i + 1), device.ran.get(i), "one study's jobs run in order");
        }
    }

    @Test
    void aFailingJobFailsAloneAndTheDeviceGoesOn() {
        Device device = new Device();
        ActorRef<Command<Device>> s = KIT.spawn(EngineScheduler.create(device, Limits.defaults(), "fail"));
        TestProbe<Reply> bad = KIT.createTestProbe();
        TestProbe<Reply> good = KIT.createTestProbe();
        s.tell(new Submit<>(new Job<>("bad", 1, Priority.AUTO, "boom", d -> {
            throw new IllegalStateException("engine fell over");
        }), bad.ref()));
        s.tell(new Submit<>(job("good", 2, Priority.AUTO, "fine"), good.ref()));
        bad.expectMessageClass(Queued.class);
        Failed f = bad.expectMessageClass(Failed.class, WAIT);
        assertEquals(1, f.jobId());
        assertEquals("engine fell over", f.error().getMessage());
        good.expectMessageClass(Queued.class);
        Completed c = good.expectMessageClass(Completed.class, WAIT);
        assertEquals(2, c.jobId());
        assertEquals("fine", c.value());
    }

    @Test
    void cancellingAStudyDropsOnlyItsQueuedJobs() {
        Device device = new Device();
        ActorRef<Command<Device>> s = KIT.spawn(EngineScheduler.create(device, Limits.defaults(), "cancel"));
        TestProbe<Reply> probe = KIT.createTestProbe();
        CountDownLatch release = new CountDownLatch(1);
        s.tell(new Submit<>(blocker(release), probe.ref()));
        s.tell(new Submit<>(job("gone", 1, Priority.AUTO, "g1"), probe.ref()));
        s.tell(new Submit<>(job("gone", 2, Priority.CLICK, "g2"), probe.ref()));
        s.tell(new Submit<>(job("kept", 3, Priority.AUTO, "k1"), probe.ref()));
        for (int i = 0; i < 4; i++) {
            probe.expectMessageClass(Queued.class);
        }
        s.tell(new EngineScheduler.CancelStudy<>("gone"));
        probe.expectMessageClass(Cancelled.class);
        probe.expectMessageClass(Cancelled.class);
        release.countDown();
        probe.expectMessageClass(Completed.class, WAIT);
        probe.expectMessageClass(Completed.class, WAIT);
        assertEquals(List.of("k1"), device.ran);
    }
}
