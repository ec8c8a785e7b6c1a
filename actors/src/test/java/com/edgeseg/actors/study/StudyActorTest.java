package com.edgeseg.actors.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.actors.scheduler.EngineScheduler;
import com.edgeseg.actors.study.StudyActor.Outcome;
import com.edgeseg.engine.EngineOptions;
import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.ContinuousIndex;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.segment.ProgressListener;
import com.edgeseg.segment.SegmentationRequest;
import com.edgeseg.segment.Segmenter;
import com.edgeseg.segment.UserClick;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One study actor on the real engine (ONNX Runtime, width-8 package) and a real CT fed slice by slice: its final
 * mask is the batch Segmenter's voxel for voxel; clicks (one sent during acquisition), undo and redo give the
 * masks the Segmenter gives for the same requests, edits stay inside their box, and the ledger replays to the
 * current mask.
 */
class StudyActorTest {
    static final ActorTestKit KIT = ActorTestKit.create();
    static final Duration LONG = Duration.ofMinutes(3);
    static final List<String> AUTO = List.of("liver", "spleen");
    static final Volume CT = RealSeries.block();
    static ModelPackage pkg;
    static Segmenter segmenter;
    static String sha;
    static LabelVolume batch;
    static ActorRef<EngineScheduler.Command<Segmenter>> device;

    @BeforeAll
    static void open() {
        pkg = RealSeries.testPackage();
        sha = ModelPackage.sha256(pkg.dir().resolve(ModelPackage.MANIFEST));
        segmenter = Segmenter.open(pkg, EngineOptions.defaults(), FidelityProfile.product());
        // the batch reference, before the device thread owns the segmenter
        batch = segmenter.segment(CT, SegmentationRequest.auto(AUTO), ProgressListener.NONE).labels();
        device = KIT.spawn(EngineScheduler.create(segmenter, EngineScheduler.Limits.defaults(), "cpu"));
    }

    @AfterAll
    static void close() {
        KIT.shutdownTestKit();
        segmenter.close();
    }

    static StudyActor.Settings settings(String id) {
        return new StudyActor.Settings(id, RealSeries.spec(CT, true), AUTO, 1L << 30, 8, 16, sha,
                FidelityProfile.product().name(), segmenter.classes());
    }

    static Object ok(TestProbe<Outcome> probe) {
        Outcome o = probe.receiveMessage(LONG);
        return assertInstanceOf(StudyActor.Ok.class, o, () -> o.toString()).value();
    }

    static Fault refused(TestProbe<Outcome> probe) {
        Outcome o = probe.receiveMessage(LONG);
        return assertInstanceOf(StudyActor.Refused.class, o, () -> o.toString()).fault();
    }

    static <T extends StudyNotice> T next(TestProbe<StudyNotice> events, Class<T> type) {
        return type.cast(events.fishForMessage(LONG, n -> type.isInstance(n)
                ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore()).get(0));
    }

    static void assertSameOutside(LabelVolume before, LabelVolume after, MaskBox box) {
        var d = before.dims();
        for (int i = 0; i < d.n0(); i++) {
            for (int j = 0; j < d.n1(); j++) {
                for (int k = 0; k < d.n2(); k++) {
                    if (!box.contains(i, j, k)) {
                        assertEquals(before.get(i, j, k), after.get(i, j, k), "voxel outside the edit's box changed");
                    }
                }
            }
        }
    }

    @Test
    void shuffledSlicesClicksUndoRedoAndReplay() {
        TestProbe<StudyNotice> events = KIT.createTestProbe();
        ActorRef<StudyActor.Command> study = KIT.spawn(StudyActor.create(settings("s1"), device, events.ref()::tell));
        TestProbe<Outcome> replies = KIT.createTestProbe();
        List<Integer> order = RealSeries.order(CT.dims().n2(), RealSeries.Order.SHUFFLED);
        for (int idx = 0; idx < order.size(); idx++) {
            study.tell(new StudyActor.AddSlice(RealSeries.slice(CT, order.get(idx), true), replies.ref()));
            assertInstanceOf(Loader.Placed.class, ok(replies));
            if (idx == 3) {
                // a duplicate mid-series: refused alone, the study goes on
                study.tell(new StudyActor.AddSlice(RealSeries.slice(CT, order.get(0), false), replies.ref()));
                assertEquals(Fault.Kind.DUPLICATE_SLICE, refused(replies).kind());
                assertEquals(Fault.Kind.DUPLICATE_SLICE, next(events, StudyNotice.Error.class).fault().kind());
            }
        }
        // a click while the series is still open: queued until the automatic mask exists
        UserClick during = new UserClick(new ContinuousIndex(14, 14, 8), true);
        TestProbe<Outcome> clickDuring = KIT.createTestProbe();
        study.tell(new StudyActor.Click("liver", List.of(during), clickDuring.ref()));
        TestProbe<Outcome> unknown = KIT.createTestProbe();
        study.tell(new StudyActor.Click("no such organ", List.of(during), unknown.ref()));
        assertEquals(Fault.Kind.UNKNOWN_CLASS, refused(unknown).kind());
        study.tell(new StudyActor.Click("liver", List.of(new UserClick(new ContinuousIndex(14, 40, 2), true)),
                unknown.ref()));
        Fault outside = refused(unknown);
        assertEquals(Fault.Kind.BAD_CLICK, outside.kind());
        assertTrue(outside.message().contains("row"), outside.message());
        clickDuring.expectNoMessage(Duration.ofMillis(200));

        study.tell(new StudyActor.EndOfSeries(replies.ref()));
        ok(replies);
        StudyNotice.SlabReady slab = next(events, StudyNotice.SlabReady.class);
        assertEquals(0, slab.fromSlice());
        assertEquals(CT.dims().n2(), slab.toSlice());
        StudyNotice.FinalMask fin = next(events, StudyNotice.FinalMask.class);
        assertArrayEquals(batch.toArray(), fin.mask().toArray(), "streamed mask = batch Segmenter, voxel for voxel");

        StudyNotice.MaskChanged first = assertInstanceOf(StudyNotice.MaskChanged.class, ok(clickDuring));
        LabelVolume expectFirst = segmenter.segment(CT, new SegmentationRequest(List.of("liver"), List.of(during),
                Optional.of(batch)), ProgressListener.NONE).labels();
        assertArrayEquals(expectFirst.toArray(), first.mask().toArray(), "the queued click = Segmenter with the auto mask as previous");
        first.box().ifPresent(b -> assertSameOutside(batch, first.mask(), b));
        System.out.println("click during acquisition changed " + first.box());

        UserClick after = new UserClick(new ContinuousIndex(20, 10, 12), true);
        study.tell(new StudyActor.Click("spleen", List.of(after), replies.ref()));
        StudyNotice.MaskChanged second = assertInstanceOf(StudyNotice.MaskChanged.class, ok(replies));
        second.box().ifPresent(b -> assertSameOutside(first.mask(), second.mask(), b));
        System.out.println("click after acquisition changed " + second.box());

        study.tell(new StudyActor.Undo(replies.ref()));
        StudyNotice.MaskChanged undone = assertInstanceOf(StudyNotice.MaskChanged.class, ok(replies));
        study.tell(new StudyActor.Redo(replies.ref()));
        StudyNotice.MaskChanged redone = assertInstanceOf(StudyNotice.MaskChanged.class, ok(replies));
        assertArrayEquals(second.mask().toArray(), redone.mask().toArray());
        study.tell(new StudyActor.Undo(replies.ref()));
        ok(replies);
        study.tell(new StudyActor.Undo(replies.ref()));
        ok(replies);
        study.tell(new StudyActor.Undo(replies.ref()));
        assertEquals(Fault.Kind.NOTHING_TO_UNDO, refused(replies).kind());
        study.tell(new StudyActor.GetMask(replies.ref()));
        assertArrayEquals(batch.toArray(), ((LabelVolume) ok(replies)).toArray(), "two undos lead back to the auto mask");
        study.tell(new StudyActor.Redo(replies.ref()));
        StudyNotice.MaskChanged again = assertInstanceOf(StudyNotice.MaskChanged.class, ok(replies));
        assertArrayEquals(first.mask().toArray(), again.mask().toArray());
        assertArrayEquals(first.mask().toArray(), undone.mask().toArray(), "undo restores the mask before the click");
        assertEquals(second.box(), undone.box(), "undo reports the box of the edit it undid");

        TestProbe<Ledger> ledgerProbe = KIT.createTestProbe();
        study.tell(new StudyActor.GetLedger(ledgerProbe.ref()));
        Ledger ledger = ledgerProbe.receiveMessage();
        assertEquals(List.of(Ledger.Kind.AUTO, Ledger.Kind.CLICK, Ledger.Kind.CLICK, Ledger.Kind.UNDO, Ledger.Kind.REDO,
                Ledger.Kind.UNDO, Ledger.Kind.UNDO, Ledger.Kind.REDO),
                ledger.entries().stream().map(Ledger.Entry::kind).toList());
        assertEquals(sha, ledger.entries().get(1).modelSha256());
        assertEquals(List.of(during), ledger.entries().get(1).clicks());
        assertArrayEquals(first.mask().toArray(), ledger.replay(segmenter, sha, CT).toArray(), "replay = current mask");

        study.tell(new StudyActor.Close(replies.ref()));
        ok(replies);
        replies.expectTerminated(study, Duration.ofSeconds(10)); // stopped: its volume, masks and history go with it
        assertFalse(first.box().isEmpty() && second.box().isEmpty(), "at least one click changed the mask");
    }
}
