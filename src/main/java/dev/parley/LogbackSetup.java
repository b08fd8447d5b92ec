package dev.parley;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logback's configuration, in code rather than logback.xml: reading the XML took a tenth of the
 * start (an XML parser and Logback's model of it, some 600 classes) for a dozen lines. Plain
 * lines on standard error; PARLEY_LOG_FORMAT=json switches the encoder at start ({@link Logging}).
 * Logback finds this class through META-INF/services.
 */
public final class LogbackSetup extends ContextAwareBase implements Configurator {

    static final String APPENDER = "STDERR";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(APPENDER);
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        for (String quiet : new String[] {"com.zaxxer.hikari", "org.flywaydb", "org.eclipse.jetty", "io.javalin"}) {
            context.getLogger(quiet).setLevel(Level.WARN);
        }
        // its one error, "Failed to start Javalin", is what serve reports itself in one line (a port in use)
        context.getLogger("io.javalin.Javalin").setLevel(Level.OFF);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
