package dev.parley.api;

import dev.parley.history.History;
import dev.parley.stats.StatsReport;
import dev.parley.transfer.Export;
import dev.parley.transfer.Import;
import dev.parley.workspace.Keys;

/** What the HTTP edge serves, built by the composition root. */
public record Features(Keys keys, History history, Export export, Import importer, StatsReport stats,
                       long importMaxBytes) {
}
