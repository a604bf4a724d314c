package org.truce.server.sequencer;

import org.truce.server.TestPostgres;
import org.truce.store.Store;

/** The sequencer on a real PostgreSQL server, a new database per store. */
class PostgresSequencerTest extends SequencerTest {
    @Override
    protected Store openStore(String name) {
        return TestPostgres.newStore("seq_" + name);
    }
}
