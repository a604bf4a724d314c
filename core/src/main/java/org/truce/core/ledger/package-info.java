@NullMarked
package org.truce.core.ledger;

import org.jspecify.annotations.NullMarked;
