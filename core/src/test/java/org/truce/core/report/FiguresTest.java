package org.truce.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FiguresTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "0 | 0", "999 | 999", "1234 | 1,234", "9007199254740991 | 9,007,199,254,740,991"
    })
    void count_anyLocale_commaGrouped(long n, String text) {
        assertThat(Figures.count(n)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {"0 | 0", "3 | +3", "-2 | \u22122", "-1234 | \u22121,234"})
    void change_delta_signedWithMinusSign(long delta, String text) {
        assertThat(Figures.change(delta)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "Aleppo | 6 | Aleppo",
        "Aleppo | 5 | Alep…",
        "Rif Dimashq | 6 | Rif D…",
        "Rif Dimashq | 5 | Rif…",
        "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00 | 2 | \uD83D\uDE00…"
    })
    void truncate_name_cutOnCodePointsWithEllipsis(String name, int max, String shown) {
        assertThat(Figures.truncate(name, max)).isEqualTo(shown);
        assertThat(Figures.isTruncated(name, max)).isEqualTo(!shown.equals(name));
    }
}
