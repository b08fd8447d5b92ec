package dev.parley.api;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Gives every accepted connection a kernel send buffer of {@link #BYTES}. Left to itself, Linux
 * grows it to 4 MiB, and only reports a socket writable again once about half of what is queued
 * has drained: a client reading an export at 16 KB/s then lets the server write nothing for two
 * minutes, and the 30 s idle timeout cut it while it was still reading. With this buffer, such a
 * reader lets the server write every few seconds; only a reader that (nearly) stops for the idle
 * timeout is cut. The cost: one connection's throughput is at most this buffer per round trip.
 */
final class BoundedSendBuffers implements LifeCycle.Listener {

    static final int BYTES = 128 * 1024;

    @Override
    public void lifeCycleStarting(LifeCycle event) {
        if (event instanceof Server server) {
            for (Connector connector : server.getConnectors()) {
                if (connector instanceof ServerConnector serverConnector) {
                    serverConnector.setAcceptedSendBufferSize(BYTES);
                }
            }
        }
    }
}
