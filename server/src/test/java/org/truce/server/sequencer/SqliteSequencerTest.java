package org.truce.server.sequencer;

import org.truce.store.Store;

class SqliteSequencerTest extends SequencerTest {
    @Override
    protected Store openStore(String name) {
        return Store.sqlite(tmp.resolve(name));
    }
}
