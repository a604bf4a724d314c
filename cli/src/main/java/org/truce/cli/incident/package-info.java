/** The incident commands: list and show incidents, the daily report, exports and the import of ACLED-format CSV. */
@NullMarked
package org.truce.cli.incident;

import org.jspecify.annotations.NullMarked;
