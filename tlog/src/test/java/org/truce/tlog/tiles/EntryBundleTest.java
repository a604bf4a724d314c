package org.truce.tlog.tiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.truce.tlog.FormatException;

/** C2SP entry bundles: big-endian uint16 length, then the entry, up to 256 times. */
class EntryBundleTest {

    // ---- encoding ----

    @Test
    void encode_twoEntries_isLengthPrefixedBigEndian() {
        byte[] data = EntryBundle.encode(List.of(bytes("ab"), new byte[0]));
        assertThat(data).containsExactly(0x00, 0x02, 'a', 'b', 0x00, 0x00);
    }

    @Test
    void encode_entryOf300Bytes_writesHighByteFirst() {
        byte[] data = EntryBundle.encode(List.of(new byte[300]));
        assertThat(data).hasSize(302);
        assertThat(data[0]).isEqualTo((byte) 0x01);
        assertThat(data[1]).isEqualTo((byte) 0x2C);
    }

    @Test
    void encode_noEntries_isEmpty() {
        assertThat(EntryBundle.encode(List.of())).isEmpty();
    }

    @Test
    void encode_maximalEntry_roundTrips() throws FormatException {
        byte[] entry = new byte[EntryBundle.MAX_ENTRY_SIZE];
        new Random(1).nextBytes(entry);
        assertThat(EntryBundle.MAX_ENTRY_SIZE).isEqualTo(65_535);

        byte[] data = EntryBundle.encode(List.of(entry));
        assertThat(data).hasSize(2 + 65_535);
        assertThat(data[0]).isEqualTo((byte) 0xFF);
        assertThat(data[1]).isEqualTo((byte) 0xFF);
        assertThat(EntryBundle.parse(data, 1)).singleElement().isEqualTo(entry);
    }

    @Test
    void encode_entryOf65536Bytes_throwsIllegalArgumentException() {
        List<byte[]> entries = List.of(new byte[EntryBundle.MAX_ENTRY_SIZE + 1]);
        assertThatThrownBy(() -> EntryBundle.encode(entries)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EntryBundle.checkEntry(entries.get(0))).isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> EntryBundle.checkEntry(new byte[EntryBundle.MAX_ENTRY_SIZE])).doesNotThrowAnyException();
    }

    @Test
    void encode_257Entries_throwsIllegalArgumentException() {
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < 257; i++) {
            entries.add(new byte[] {(byte) i});
        }
        assertThatThrownBy(() -> EntryBundle.encode(entries)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- round trips ----

    @Test
    void parse_encodedBundlesOfEveryWidth_returnsTheEntries() throws FormatException {
        Random rnd = new Random(0xB0D1EL);
        for (int width = 1; width <= TilePath.WIDTH; width++) {
            List<byte[]> entries = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                byte[] e = new byte[rnd.nextInt(i % 17 == 0 ? 2000 : 40)];
                rnd.nextBytes(e);
                entries.add(e);
            }
            List<byte[]> parsed = EntryBundle.parse(EntryBundle.encode(entries), width);
            assertThat(parsed).as("width %d", width).hasSize(width);
            for (int i = 0; i < width; i++) {
                assertThat(parsed.get(i)).as("width %d entry %d", width, i).isEqualTo(entries.get(i));
            }
        }
    }

    @Test
    void parse_fullBundleOfMaximalEntries_roundTrips() throws FormatException {
        byte[] big = new byte[EntryBundle.MAX_ENTRY_SIZE];
        Arrays.fill(big, (byte) 0x5A);
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < TilePath.WIDTH; i++) {
            entries.add(big);
        }
        byte[] data = EntryBundle.encode(entries);
        assertThat(data).hasSize(TilePath.WIDTH * (2 + EntryBundle.MAX_ENTRY_SIZE));
        assertThat(EntryBundle.parse(data, TilePath.WIDTH)).hasSize(TilePath.WIDTH)
                .allSatisfy(e -> assertThat(e).isEqualTo(big));
    }

    @Test
    void parse_returnsCopies_notViewsOfTheInput() throws FormatException {
        byte[] data = EntryBundle.encode(List.of(bytes("abc")));
        List<byte[]> parsed = EntryBundle.parse(data, 1);
        data[2] = 'z';
        assertThat(parsed.get(0)).isEqualTo(bytes("abc"));
    }

    // ---- malformed bundles ----

    @Test
    void parse_truncatedAtEveryByte_throwsFormatException() {
        byte[] data = EntryBundle.encode(List.of(bytes("first"), bytes(""), bytes("third entry")));
        for (int len = 0; len < data.length; len++) {
            byte[] cut = Arrays.copyOf(data, len);
            assertThatThrownBy(() -> EntryBundle.parse(cut, 3)).as("truncated to %d bytes", len)
                    .isInstanceOf(FormatException.class);
        }
    }

    @Test
    void parse_trailingBytes_throwsFormatException() {
        byte[] data = EntryBundle.encode(List.of(bytes("a"), bytes("b")));
        for (byte[] tail : List.of(new byte[] {0}, new byte[] {0, 0}, new byte[] {0, 1, 'c'})) {
            byte[] longer = Arrays.copyOf(data, data.length + tail.length);
            System.arraycopy(tail, 0, longer, data.length, tail.length);
            assertThatThrownBy(() -> EntryBundle.parse(longer, 2)).isInstanceOf(FormatException.class)
                    .hasMessageContaining("after");
        }
    }

    @Test
    void parse_widthOtherThanTheEntryCount_throwsFormatException() {
        byte[] data = EntryBundle.encode(List.of(bytes("a"), bytes("b"), bytes("c")));
        assertThatThrownBy(() -> EntryBundle.parse(data, 2)).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> EntryBundle.parse(data, 4)).isInstanceOf(FormatException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 257, 65_536})
    void parse_widthOutsideOneTo256_throwsFormatException(int width) {
        assertThatThrownBy(() -> EntryBundle.parse(new byte[0], width)).isInstanceOf(FormatException.class);
    }

    @Test
    void parse_lengthPrefixClaimingMoreThanRemains_throwsFormatException() {
        byte[] data = {(byte) 0xFF, (byte) 0xFF, 1, 2, 3};
        assertThatThrownBy(() -> EntryBundle.parse(data, 1)).isInstanceOf(FormatException.class)
                .hasMessageContaining("65535");
    }

    @Test
    void parse_emptyInputForOneEntry_throwsFormatException() {
        assertThatThrownBy(() -> EntryBundle.parse(new byte[0], 1)).isInstanceOf(FormatException.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
