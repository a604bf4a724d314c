/**
 * Agreements as reciprocal, sequenced steps: who owes what to whom and by when, reports of fulfilment,
 * monitors' assessments, extensions, pauses and withdrawals, and the views derived from them.
 */
@NullMarked
package org.truce.core.agreement;

import org.jspecify.annotations.NullMarked;
