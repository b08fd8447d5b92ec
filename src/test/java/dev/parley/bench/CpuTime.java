package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * CPU time from Linux's /proc: the whole machine's, and one process's. On a small machine where
 * the load generator, the server and the database share the cores, throughput is the cores
 * divided by the CPU time a request costs them all; this says who spends it.
 */
final class CpuTime {

    /** Linux counts CPU time in clock ticks of 1/100 s (USER_HZ) on every platform it runs on. */
    private static final double TICKS_PER_SECOND = 100;

    /** CPU seconds used so far: by every process of the machine, and by one of them. */
    record Reading(double machineSeconds, double processSeconds) {

        /** What was used from this reading to a later one, per unit of work done in between. */
        Used perUnit(Reading later, long units) {
            return new Used((later.machineSeconds - machineSeconds) / units,
                    (later.processSeconds - processSeconds) / units);
        }
    }

    /** CPU seconds per unit of work: by the machine, and by the process watched. */
    record Used(double machineSeconds, double processSeconds) {

        String describe(String process) {
            return String.format(java.util.Locale.ROOT, "CPU per request %.0f µs, of which %s %.0f µs and the rest"
                    + " (the database, the load generator) %.0f µs", machineSeconds * 1e6, process,
                    processSeconds * 1e6, (machineSeconds - processSeconds) * 1e6);
        }
    }

    private CpuTime() {
    }

    static Reading read(long pid) throws IOException {
        return new Reading(machineSeconds(), processSeconds(pid));
    }

    /** /proc/stat's first line: time every core spent busy (user, nice, system, irq, softirq, steal). */
    private static double machineSeconds() throws IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long[] ticks = Arrays.stream(fields, 1, fields.length).mapToLong(Long::parseLong).toArray();
        long busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7];
        return busy / TICKS_PER_SECOND;
    }

    /** /proc/PID/stat's utime and stime, fields 14 and 15 (counted after the command's closing parenthesis). */
    private static double processSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }
}
