package io.dcf.watcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/** {@code 2025-01-01T00:00:00.000Z INFO  Watcher - message}, with the stack trace (if any) below. */
final class OneLineFormatter extends Formatter {

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(128)
                .append(record.getInstant())
                .append(' ')
                .append(String.format("%-7s", record.getLevel().getName()))
                .append(simpleName(record.getLoggerName()))
                .append(" - ")
                .append(formatMessage(record))
                .append(System.lineSeparator());
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }

    private static String simpleName(String loggerName) {
        if (loggerName == null) {
            return "root";
        }
        return loggerName.startsWith("io.dcf.") ? loggerName.substring(loggerName.lastIndexOf('.') + 1) : loggerName;
    }
}
