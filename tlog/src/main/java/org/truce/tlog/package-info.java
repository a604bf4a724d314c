/**
 * A transparency log interoperable with the C2SP ecosystem: RFC 9162 Merkle trees and proofs
 * ({@code merkle}), tlog-tiles ({@code tiles}), signed notes and keys ({@code note}), checkpoints and
 * cosignatures ({@code checkpoint}), offline proof bundles ({@code proof}), appending ({@code append})
 * and auditing ({@code audit}).
 */
@NullMarked
package org.truce.tlog;

import org.jspecify.annotations.NullMarked;
