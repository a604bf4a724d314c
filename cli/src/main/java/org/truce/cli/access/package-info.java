/** Reading a server's API as the public or, after a challenge-signed login, as a party. */
@NullMarked
package org.truce.cli.access;

import org.jspecify.annotations.NullMarked;
