package org.truce.tlog.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.truce.tlog.FormatException;

/** Parsing and comparing 32-byte hashes. */
class HashTest {
    private static final String B64 = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

    // ---- parsing ----

    @Test
    void fromBase64_canonical32Bytes_roundTrips() throws FormatException {
        Hash h = Hash.fromBase64(B64, "root");
        assertThat(h.base64()).isEqualTo(B64);
        assertThat(h.bytes()).isEqualTo(Base64.getDecoder().decode(B64));
        assertThat(h).hasToString(B64);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I",
        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=",
        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2L=",
        "CsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=",
        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I==",
        "",
        "AAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
    })
    void fromBase64_notCanonicalBase64Of32Bytes_throwsFormatException(String text) {
        assertThatThrownBy(() -> Hash.fromBase64(text, "root")).isInstanceOf(FormatException.class)
                .hasMessageStartingWith("root");
    }

    @Test
    void fromHex_lowerAndUpperCase_parseToTheSameHash() throws FormatException {
        String hex = Rfc9162.EMPTY_ROOT.hex();
        assertThat(hex).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Hash.fromHex(hex)).isEqualTo(Rfc9162.EMPTY_ROOT);
        assertThat(Hash.fromHex(hex.toUpperCase())).isEqualTo(Rfc9162.EMPTY_ROOT);
        assertThatThrownBy(() -> Hash.fromHex(hex.substring(2))).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> Hash.fromHex("g" + hex.substring(1))).isInstanceOf(FormatException.class);
    }

    @Test
    void of_arrayOtherThan32Bytes_throwsIllegalArgumentException() {
        assertThatThrownBy(() -> Hash.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hash.of(new byte[33])).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- value semantics ----

    @Test
    void of_copiesTheArray_andBytesReturnsACopy() {
        byte[] b = new byte[32];
        Hash h = Hash.of(b);
        b[0] = 1;
        assertThat(h.bytes()[0]).isZero();
        h.bytes()[1] = 1;
        assertThat(h.bytes()[1]).isZero();
    }

    @Test
    void equalsAndCompareTo_followTheBytesUnsigned() {
        byte[] lo = new byte[32];
        byte[] hi = new byte[32];
        hi[0] = (byte) 0x80;
        assertThat(Hash.of(lo)).isEqualTo(Hash.of(lo.clone())).hasSameHashCodeAs(Hash.of(lo.clone()));
        assertThat(Hash.of(lo)).isNotEqualTo(Hash.of(hi));
        assertThat(Hash.of(lo).compareTo(Hash.of(hi))).isNegative();
        assertThat(Hash.of(hi).compareTo(Hash.of(lo))).isPositive();
    }

    @Test
    void equalsAt_offsetsAndShortArrays_compareOnlyWhole32ByteWindows() {
        Hash h = Rfc9162.EMPTY_ROOT;
        byte[] buf = new byte[40];
        h.copyTo(buf, 5);
        assertThat(h.equalsAt(buf, 5)).isTrue();
        assertThat(h.equalsAt(buf, 4)).isFalse();
        assertThat(h.equalsAt(buf, 9)).isFalse();
        assertThat(h.equalsAt(buf, -1)).isFalse();
        assertThat(Hash.of(buf, 5)).isEqualTo(h);
    }
}
