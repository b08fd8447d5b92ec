package dev.parley;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses how log lines look: {@link LogbackSetup} writes plain text; JSON is switched on here at start. */
public final class Logging {

    private Logging() {
    }

    public static void use(Config.LogFormat format) {
        if (format != Config.LogFormat.JSON || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(LogbackSetup.APPENDER) instanceof ConsoleAppender<ILoggingEvent> console) {
            JsonEncoder encoder = new JsonEncoder();
            encoder.setContext(context);
            encoder.setWithArguments(false);
            encoder.setWithFormattedMessage(true);
            encoder.setWithMessage(false);
            encoder.setWithSequenceNumber(false);
            encoder.setWithNanoseconds(false);
            encoder.setWithContext(false);
            encoder.setWithThreadName(false);
            encoder.start();
            console.stop();
            console.setEncoder(encoder);
            console.start();
        }
    }
}
