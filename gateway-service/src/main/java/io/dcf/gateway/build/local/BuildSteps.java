package io.dcf.gateway.build.local;

import io.dcf.proto.v1.BuildPhase;

/** What a local build tells as it goes: each step (in a phase) and the output lines that matter. */
interface BuildSteps {

    /** Ignores everything (tests of one part). */
    BuildSteps NONE = new BuildSteps() {
        @Override
        public void step(BuildPhase phase, String what) {
        }

        @Override
        public void output(String line) {
        }
    };

    /** A step begins, e.g. {@code (EXTRACTING, "unzipping")} or {@code (BUILDING, "compiling 2 Java files")}. */
    void step(BuildPhase phase, String what);

    /** A line a tool wrote (a javac diagnostic, a line of pip's output). May come from another thread. */
    void output(String line);
}
