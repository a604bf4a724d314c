package org.truce.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportChartTest {
    // ---- axis ----

    @ParameterizedTest(name = "max {0} -> step {1}")
    @CsvSource({
        "1, 1", "5, 1", "6, 2", "10, 2", "11, 5", "25, 5", "26, 10", "50, 10", "51, 20", "100, 20", "101, 50",
        "2500000000, 500000000", "9007199254740991, 2000000000000000"
    })
    void step_maxCount_smallestOneTwoFiveStepWithAtMostFiveParts(long max, long step) {
        assertThat(ReportChart.step(max)).isEqualTo(step);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "0 | 0", "5 | 5", "9999 | 9,999", "10000 | 10k", "25000 | 25k", "2500000 | 2.5M", "1000000000 | 1bn",
        "1500000000 | 1.5bn", "2000000000000000 | 2000000bn"
    })
    void tick_value_shortenedWithUnit(long value, String label) {
        assertThat(ReportChart.tick(value)).isEqualTo(label);
    }

    // ---- types ----

    @ParameterizedTest(name = "{0} types -> {1} bars")
    @CsvSource({"0, 0", "1, 1", "10, 10", "11, 11", "30, 11"})
    void topTypes_count_atMostTenAndOther(int types, int bars) {
        List<Report.TypeRow> rows = IntStream.range(0, types)
                .mapToObj(i -> new Report.TypeRow("E", "S" + i, new Report.Counts(1, 1, 1))).toList();

        List<ReportChart.Bars> top = ReportChart.topTypes(rows);

        assertThat(top).hasSize(bars);
        assertThat(top.stream().mapToLong(ReportChart.Bars::day).sum()).isEqualTo(types);
        if (types > ReportChart.TOP_TYPES) {
            assertThat(top.get(ReportChart.TOP_TYPES).label()).isEqualTo("Other (" + (types - 10) + " types)");
        }
    }

    @Test
    void topTypes_equalDayCounts_keepInputOrder() {
        List<Report.TypeRow> rows = List.of(
                new Report.TypeRow("E", "b", new Report.Counts(2, 0, 0)),
                new Report.TypeRow("E", "a", new Report.Counts(2, 0, 0)),
                new Report.TypeRow("E", "c", new Report.Counts(3, 0, 0)));

        assertThat(ReportChart.topTypes(rows)).extracting(ReportChart.Bars::label).containsExactly("c", "b", "a");
    }
}
