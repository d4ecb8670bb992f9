package dev.wsreactor.reactor;

import java.lang.System.Logger;

/** The reactor module's one logger ({@code System.Logger}, so it brings no logging library). */
final class ReactorLog {

    static final Logger LOG = System.getLogger("dev.wsreactor.reactor");

    private ReactorLog() {
    }
}
