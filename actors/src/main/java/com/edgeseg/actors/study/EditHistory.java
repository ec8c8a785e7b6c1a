package com.edgeseg.actors.study;

import com.edgeseg.actors.study.Fault.Kind;
import com.edgeseg.volume.LabelVolume;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The current mask and the edits that led to it, as boxes of before/after labels (not whole masks, so a long
 * session of local clicks costs little memory), with undo and redo. A new edit clears the redo stack.
 * Not thread-safe: the study actor (or a ledger replay) owns it.
 */
final class EditHistory {
    /** One edit: the box it changed and its labels before and after (an edit that changed nothing has no box). */
    record Edit(Optional<MaskBox> box, byte[] before, byte[] after) {
        LabelVolume paste(LabelVolume onto, byte[] labels) {
            return box.map(b -> b.paste(onto, labels)).orElse(onto);
        }
    }

    /** A change of the current mask and the box it touched (empty box: nothing changed). */
    record Change(LabelVolume mask, Optional<MaskBox> box) {}

    private final int depth;
    private final Deque<Edit> done = new ArrayDeque<>();
    private final Deque<Edit> undone = new ArrayDeque<>();
    private LabelVolume current;

    EditHistory(LabelVolume initial, int depth) {
        this.current = initial;
        this.depth = depth;
    }

    LabelVolume current() {
        return current;
    }

    /** Makes {@code next} current and remembers the change so it can be undone. */
    Change apply(LabelVolume next) {
        Optional<MaskBox> box = MaskBox.ofChange(current, next);
        // an edit that changed nothing is still one step of undo, as the user counts them
        done.push(new Edit(box, box.map(b -> b.copyFrom(current)).orElse(null),
                box.map(b -> b.copyFrom(next)).orElse(null)));
        if (done.size() > depth) {
            done.removeLast(); // the oldest edit can no longer be undone
        }
        undone.clear();
        current = next;
        return new Change(next, box);
    }

    Change undo() {
        if (done.isEmpty()) {
            throw Fault.fail(Kind.NOTHING_TO_UNDO, "nothing to undo; expected an edit (click) before undo");
        }
        Edit e = done.pop();
        undone.push(e);
        current = e.paste(current, e.before());
        return new Change(current, e.box());
    }

    Change redo() {
        if (undone.isEmpty()) {
            throw Fault.fail(Kind.NOTHING_TO_REDO, "nothing to redo; expected an undo before redo");
        }
        Edit e = undone.pop();
        done.push(e);
        current = e.paste(current, e.after());
        return new Change(current, e.box());
    }
}
