package org.agentchannels.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The charts {@code ./agentchannels bench} draws beside its table in {@code docs/}: B1's throughput against the ceiling, the
 * latency distributions of B2 and B5, B6's start-up by phase, and B9's UI-thread waits over time. {@link Benchmarks} hands each bench's measured samples
 * here as it finishes; {@link #write} draws them as PNG files with JFreeChart, headless (no display is touched, even when
 * B6 runs on one). Charts show what was measured in this run and nothing else; a bench that did not run draws none.
 */
final class BenchCharts {

    static {
        // before any AWT class loads: the charts are drawn in memory, whatever DISPLAY says
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** A latency goal: the {@code percentile} (0.99 for p99) must stay below {@code ms}. */
    record Goal(double percentile, double ms) {
    }

    /** A chart written: its file name in the chart folder, what it shows (the image's text) and how to read it. */
    record Drawn(String file, String caption, String reading) {
    }

    private static final int WIDTH = 800;
    private static final int HEIGHT = 450;
    private static final Color OURS = new Color(0x1f, 0x6f, 0xb4);
    private static final Color CEILING = new Color(0x9a, 0x9a, 0x9a);
    private static final Color GOAL = new Color(0xc6, 0x28, 0x28);
    private static final BasicStroke GOAL_STROKE = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] { 8f, 5f }, 0f);
    /** Colours of the start-up phases, in order; more phases than colours repeat them. */
    private static final Color[] PHASES = { new Color(0x9e, 0x9e, 0x9e), new Color(0x7e, 0x57, 0xc2), new Color(0x1f, 0x6f, 0xb4),
            new Color(0x26, 0xa6, 0x9a), new Color(0xf5, 0x9e, 0x0b), new Color(0x8d, 0x6e, 0x63) };

    private interface Drawing {
        JFreeChart draw();
    }

    private record Pending(String file, String caption, String reading, int height, Drawing drawing) {
    }

    private final List<Pending> pending = new ArrayList<>();

    // ------------------------------------------------------------------ what the benches hand over

    /** B1: deltas a second of each ceiling run and each of ours; the goal is {@code goalRatio} of the ceiling's median. */
    void throughput(List<Double> ceilingRuns, List<Double> oursRuns, double goalRatio) {
        List<Double> ceiling = List.copyOf(ceilingRuns);
        List<Double> ours = List.copyOf(oursRuns);
        pending.add(new Pending("b1-throughput.png", "B1: deltas/s of our gateway into a client's session model, each run and "
                + "the median, against the bare-Jetty ceiling", "Each run's deltas a second, the ceiling's runs first, then ours; "
                + "the runs are not pairs (all ceiling runs come first). The dashed line is the goal, a share of the ceiling's "
                + "median.", HEIGHT, () -> throughputChart(ceiling, ours, goalRatio)));
    }

    /**
     * B2, B5: the distribution of measured latencies (nanoseconds, any order) as a percentile curve, with the goals as
     * the line the curve must stay under.
     */
    void latency(String id, String title, long[] nanos, Goal... goals) {
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        List<Goal> goalList = List.of(goals);
        pending.add(new Pending(id.toLowerCase(Locale.ROOT) + "-latency.png", id + ": latency percentiles, " + title,
                "Every measured sample, sorted: the curve gives the latency (log scale) at each percentile, the axis spaced so "
                        + "that 90 %, 99 %, 99.9 % ... are equal steps and the tail can be read; the curve ends at the maximum. "
                        + "The dashed line is the goal: the curve must stay under it up to where it ends.",
                HEIGHT, () -> latencyChart(id, title, sorted, goalList)));
    }

    /** B6: the start-up's phases, in order, and the goal for the whole in seconds. */
    void startup(List<StartupPhases.Phase> phases, double goalSeconds) {
        if (phases.isEmpty()) {
            return;
        }
        List<StartupPhases.Phase> copy = List.copyOf(phases);
        pending.add(new Pending("b6-start-up.png", "B6: the workbench's start to the Live view painted with 100 sessions, by phase",
                "One start, cut at the moments the product reports with AGENTCHANNELS_BENCH=1: the JVM's own start time (before "
                        + "it: the start script and the JVM's creation), the Equinox launcher's start, the application's start "
                        + "(the OSGi framework is up and the start-level bundles run), the first window open (the workbench, "
                        + "its perspective and views made), and the Live view painted with all 100 rows (presence read, "
                        + "derived and painted). A phase too short for its number inside is read in the legend.",
                300, () -> startupChart(copy, goalSeconds)));
    }

    /**
     * B9: the UI thread's longest wait in each tenth of a second, in order, while deltas stream into an open chat and
     * while a long session opens as it streams; the goal in milliseconds.
     */
    void uiWaits(List<Long> streaming, List<Long> opening, double goalMs) {
        if (streaming.isEmpty() && opening.isEmpty()) {
            return;
        }
        List<Long> s = List.copyOf(streaming);
        List<Long> o = List.copyOf(opening);
        pending.add(new Pending("b9-ui-waits.png", "B9: the UI thread's longest wait in each tenth of a second, while a chat "
                + "streams and while a 10,000-message session opens as it streams", "Each point is the longest a tiny task "
                + "posted to the UI thread every 10 ms waited in one tenth of a second, from the prompt (or the double-click "
                + "that opens the chat) to the chat showing the end of the turn; each line is the run of median worst "
                + "wait of three: a person feels a point above the dashed line (the goal) as a hitch.", HEIGHT,
                () -> uiWaitsChart(s, o, goalMs)));
    }

    // ------------------------------------------------------------------ writing

    /** Draws every chart handed over into {@code dir} (created if needed) and says what it wrote. */
    List<Drawn> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Drawn> drawn = new ArrayList<>();
        for (Pending p : pending) {
            JFreeChart chart = p.drawing().draw();
            chart.addSubtitle(new TextTitle("./agentchannels bench, " + LocalDate.now() + ", "
                    + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version"),
                    new Font(Font.SANS_SERIF, Font.PLAIN, 11), Color.GRAY, RectangleEdge.BOTTOM,
                    org.jfree.chart.ui.HorizontalAlignment.RIGHT, org.jfree.chart.ui.VerticalAlignment.BOTTOM,
                    new RectangleInsets(4, 4, 2, 8)));
            ChartUtils.saveChartAsPNG(dir.resolve(p.file()).toFile(), chart, WIDTH, p.height(), null, false, 9);
            drawn.add(new Drawn(p.file(), p.caption(), p.reading()));
        }
        return drawn;
    }

    /** The Markdown that shows the charts written, their links relative to the page ({@code folder} is the chart folder). */
    static String markdown(List<Drawn> drawn, String folder) {
        if (drawn.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Charts of this run\n\n");
        for (Drawn d : drawn) {
            md.append("![").append(d.caption()).append("](").append(folder).append(d.file()).append(")\n\n")
                    .append(d.reading()).append("\n\n");
        }
        return md.toString();
    }

    // ------------------------------------------------------------------ B1

    private static JFreeChart throughputChart(List<Double> ceiling, List<Double> ours, double goalRatio) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        String ceilingName = "ceiling: bare Jetty pair, batched writes, nothing decoded";
        String oursName = "ours: gateway to a client's session model";
        for (int i = 0; i < ceiling.size(); i++) {
            data.addValue(ceiling.get(i), ceilingName, "run " + (i + 1));
        }
        for (int i = 0; i < ours.size(); i++) {
            data.addValue(ours.get(i), oursName, "run " + (i + 1));
        }
        double ceilingMedian = median(ceiling);
        double oursMedian = median(ours);
        data.addValue(ceilingMedian, ceilingName, "median");
        data.addValue(oursMedian, oursName, "median");

        CategoryAxis runs = new CategoryAxis("run (" + ceiling.size() + " of each, one after another)");
        NumberAxis perSecond = new NumberAxis("deltas per second");
        perSecond.setNumberFormatOverride(decimal("#,##0"));
        perSecond.setUpperMargin(0.12);
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setItemMargin(0.05);
        bars.setSeriesPaint(0, CEILING);
        bars.setSeriesPaint(1, OURS);
        bars.setDefaultItemLabelGenerator(new org.jfree.chart.labels.StandardCategoryItemLabelGenerator("{2}",
                decimal("#,##0")));
        bars.setDefaultItemLabelsVisible(true);
        bars.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        CategoryPlot plot = new CategoryPlot(data, runs, perSecond, bars);
        plot.addRangeMarker(goalMarker(goalRatio * ceilingMedian, String.format(Locale.ROOT,
                "goal: %.2f of the ceiling's median, %,.0f/s", goalRatio, goalRatio * ceilingMedian), RectangleAnchor.TOP_RIGHT,
                TextAnchor.BOTTOM_RIGHT), org.jfree.chart.ui.Layer.FOREGROUND);
        style(plot);
        JFreeChart chart = new JFreeChart("B1 stream throughput: ours against the transport's ceiling",
                titleFont(), plot, true);
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "ours / ceiling, medians: %.2f (goal %.2f)",
                oursMedian / ceilingMedian, goalRatio), new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        return finish(chart);
    }

    // ------------------------------------------------------------------ B2, B5

    /** How many points a percentile curve is drawn with, spread evenly over its log-scaled axis. */
    private static final int CURVE_POINTS = 300;

    private static JFreeChart latencyChart(String id, String title, long[] sorted, List<Goal> goals) {
        int n = sorted.length;
        // x = 1 / (1 - p): p50 is 2, p90 10, p99 100, p99.9 1,000; on a log axis each further nine is one step
        XYSeries curve = new XYSeries(String.format(Locale.ROOT, "measured: %,d samples", n), true, false);
        for (int k = 0; k < CURVE_POINTS; k++) {
            double x = Math.pow(n, (double) k / CURVE_POINTS);
            // the sample Benchmarks.percentile takes for p = 1 - 1/x
            int index = (int) Math.min(n - 1, Math.max(0, Math.ceil(n - n / x) - 1));
            curve.addOrUpdate(x, ms(sorted[index]));
        }
        curve.addOrUpdate(n, ms(sorted[n - 1])); // the curve ends at the maximum
        XYSeries marked = new XYSeries("reported in the table", false, true);
        for (double p : new double[] { 0.50, 0.99, 0.999 }) {
            if (1 / (1 - p) <= n) {
                marked.add(1 / (1 - p), ms(Benchmarks.percentile(sorted, p)));
            }
        }
        XYSeries goalLine = new XYSeries(goalName(goals), false, true);
        double from = 1;
        for (Goal g : goals) {
            goalLine.add(from, g.ms());
            goalLine.add(1 / (1 - g.percentile()), g.ms());
            from = 1 / (1 - g.percentile());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(curve);
        data.addSeries(marked);
        data.addSeries(goalLine);

        LogAxis percentile = new LogAxis("percentile (90%, 99%, 99.9% ... equally spaced)");
        percentile.setNumberFormatOverride(new PercentileFormat());
        percentile.setSmallestValue(1);
        percentile.setLowerMargin(0);
        percentile.setUpperMargin(0.02);
        LogAxis latency = new OneTwoFiveLogAxis("latency (ms, log scale)");
        latency.setSmallestValue(1e-4);
        latency.setUpperMargin(0.1);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer();
        lines.setSeriesPaint(0, OURS);
        lines.setSeriesStroke(0, new BasicStroke(2.2f));
        lines.setSeriesShapesVisible(0, false);
        lines.setSeriesLinesVisible(1, false);
        lines.setSeriesShapesVisible(1, true);
        lines.setSeriesShape(1, new Ellipse2D.Double(-4, -4, 8, 8));
        lines.setSeriesPaint(1, Color.BLACK);
        lines.setSeriesItemLabelsVisible(1, true);
        lines.setSeriesItemLabelGenerator(1, (dataset, series, item) -> String.format(Locale.ROOT, "%s %s ms",
                percentileName(dataset.getXValue(series, item)), latencyText(dataset.getYValue(series, item))));
        lines.setSeriesItemLabelFont(1, new Font(Font.SANS_SERIF, Font.BOLD, 11));
        lines.setSeriesPositiveItemLabelPosition(1, new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.TOP_LEFT));
        lines.setSeriesPaint(2, GOAL);
        lines.setSeriesStroke(2, GOAL_STROKE);
        lines.setSeriesShapesVisible(2, false);
        decades(percentile, 1, n);
        XYPlot plot = new XYPlot(data, percentile, latency, lines);
        style(plot);
        JFreeChart chart = new JFreeChart(id + " latency: " + title, titleFont(), plot, true);
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms",
                latencyText(ms(Benchmarks.percentile(sorted, 0.5))), latencyText(ms(Benchmarks.percentile(sorted, 0.99))),
                latencyText(ms(Benchmarks.percentile(sorted, 0.999))), latencyText(ms(sorted[n - 1]))),
                new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        return finish(chart);
    }

    private static String goalName(List<Goal> goals) {
        StringBuilder name = new StringBuilder("goal:");
        for (int i = 0; i < goals.size(); i++) {
            Goal g = goals.get(i);
            name.append(i == 0 ? " " : ", ").append(percentileName(1 / (1 - g.percentile()))).append(" < ")
                    .append(decimal("0.###").format(g.ms())).append(" ms");
        }
        return name.toString();
    }

    /** A nanosecond sample in milliseconds, above zero so a log axis can place it. */
    private static double ms(long nanos) {
        return Math.max(nanos, 1) / 1e6;
    }

    private static String latencyText(double ms) {
        return decimal(ms < 1 ? "0.000" : ms < 10 ? "0.00" : "0.0").format(ms);
    }

    /** p50, p99, p99.9 ... for a position x = 1 / (1 - p) on the percentile axis. */
    private static String percentileName(double x) {
        return "p" + percentText(x);
    }

    private static String percentText(double x) {
        double percent = 100 * (1 - 1 / x);
        if (percent <= 0) {
            return "0";
        }
        // as many decimals as it takes to show the nines, no more
        int decimals = Math.max(0, (int) Math.ceil(Math.log10(x)) - 2);
        String text = String.format(Locale.ROOT, "%." + decimals + "f", percent);
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }

    /** The percentile axis's tick labels: 1 is 0 %, 10 is 90 %, 100 is 99 %. */
    private static final class PercentileFormat extends NumberFormat {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double x, StringBuffer to, FieldPosition pos) {
            return to.append(percentText(x)).append('%');
        }

        @Override
        public StringBuffer format(long x, StringBuffer to, FieldPosition pos) {
            return format((double) x, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("tick labels are only written");
        }
    }

    /** A vertical log axis labelled at 1, 2 and 5 of each power of ten: a log axis's own ticks fall on 25.119 and such. */
    private static final class OneTwoFiveLogAxis extends LogAxis {
        private static final long serialVersionUID = 1L;

        OneTwoFiveLogAxis(String label) {
            super(label);
        }

        @Override
        @SuppressWarnings({ "rawtypes", "unchecked" })
        protected List refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
            Range range = getRange();
            DecimalFormat format = decimal("0.####");
            List ticks = new ArrayList();
            int first = (int) Math.floor(Math.log10(range.getLowerBound()));
            int last = (int) Math.ceil(Math.log10(range.getUpperBound()));
            for (int power = first; power <= last; power++) {
                for (int mantissa : new int[] { 1, 2, 5 }) {
                    double value = mantissa * Math.pow(10, power);
                    if (range.contains(value)) {
                        ticks.add(new NumberTick(TickType.MAJOR, value, format.format(value),
                                edge == RectangleEdge.RIGHT ? TextAnchor.CENTER_LEFT : TextAnchor.CENTER_RIGHT, TextAnchor.CENTER, 0));
                    }
                }
            }
            return ticks;
        }
    }

    // ------------------------------------------------------------------ B6

    private static JFreeChart startupChart(List<StartupPhases.Phase> phases, double goalSeconds) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        String category = "one start";
        double total = 0;
        for (StartupPhases.Phase phase : phases) {
            double seconds = phase.millis() / 1000.0;
            total += seconds;
            data.addValue(seconds, String.format(Locale.ROOT, "%s: %.2f s", phase.name(), seconds), category);
        }
        CategoryAxis axis = new CategoryAxis(null);
        axis.setTickLabelsVisible(false);
        NumberAxis seconds = new NumberAxis("seconds from starting agentchannels.sh");
        seconds.setUpperBound(Math.max(total, goalSeconds) * 1.08);
        seconds.setNumberFormatOverride(decimal("0.0"));
        StackedBarRenderer bars = new StackedBarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setMaximumBarWidth(0.5);
        for (int i = 0; i < phases.size(); i++) {
            bars.setSeriesPaint(i, PHASES[i % PHASES.length]);
        }
        // a phase too short for its number inside it is read in the legend
        bars.setDefaultItemLabelGenerator(new org.jfree.chart.labels.StandardCategoryItemLabelGenerator("{2}",
                decimal("0.00' s'")) {
            private static final long serialVersionUID = 1L;

            @Override
            public String generateLabel(org.jfree.data.category.CategoryDataset dataset, int row, int column) {
                Number value = dataset.getValue(row, column);
                return value != null && value.doubleValue() >= 0.07 * seconds.getUpperBound() ? super.generateLabel(dataset,
                        row, column) : null;
            }
        });
        bars.setDefaultItemLabelsVisible(true);
        bars.setDefaultItemLabelPaint(Color.WHITE);
        bars.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        bars.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.CENTER, TextAnchor.CENTER));
        CategoryPlot plot = new CategoryPlot(data, axis, seconds, bars);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        // the label on the side of the line where there is room: left of it when the goal is the rightmost thing
        boolean goalLast = goalSeconds >= total;
        plot.addRangeMarker(goalMarker(goalSeconds, String.format(Locale.ROOT, "goal < %.1f s", goalSeconds),
                goalLast ? RectangleAnchor.TOP_LEFT : RectangleAnchor.TOP_RIGHT, goalLast ? TextAnchor.TOP_RIGHT
                        : TextAnchor.TOP_LEFT), org.jfree.chart.ui.Layer.BACKGROUND); // behind the numbers
        plot.setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_RIGHT);
        style(plot);
        JFreeChart chart = new JFreeChart(String.format(Locale.ROOT, "B6 start-up to the Live view painted (100 sessions): %.2f s",
                total), titleFont(), plot, true);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        return finish(chart);
    }

    // ------------------------------------------------------------------ B9

    private static JFreeChart uiWaitsChart(List<Long> streaming, List<Long> opening, double goalMs) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(waitSeries("5,000 deltas into an open chat", streaming));
        data.addSeries(waitSeries("a 10,000-message session opens as it streams", opening));
        NumberAxis time = new NumberAxis("seconds from the prompt (streaming) or the double-click (opening)");
        time.setNumberFormatOverride(decimal("0.0"));
        NumberAxis waits = new NumberAxis("longest wait in the tenth of a second (ms)");
        long highest = java.util.stream.Stream.concat(streaming.stream(), opening.stream()).mapToLong(Long::longValue).max()
                .orElse(0);
        waits.setRange(0, Math.max(highest, goalMs) * 1.15);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        lines.setSeriesPaint(0, CEILING);
        lines.setSeriesPaint(1, OURS);
        lines.setSeriesStroke(0, new BasicStroke(1.5f));
        lines.setSeriesStroke(1, new BasicStroke(1.5f));
        XYPlot plot = new XYPlot(data, time, waits, lines);
        plot.addRangeMarker(goalMarker(goalMs, String.format(Locale.ROOT, "goal < %.0f ms", goalMs), RectangleAnchor.TOP_RIGHT,
                TextAnchor.BOTTOM_RIGHT));
        style(plot);
        JFreeChart chart = new JFreeChart(String.format(Locale.ROOT, "B9 UI-thread waits: worst %d ms streaming, %d ms opening",
                streaming.stream().mapToLong(Long::longValue).max().orElse(0),
                opening.stream().mapToLong(Long::longValue).max().orElse(0)), titleFont(), plot, true);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        return finish(chart);
    }

    private static XYSeries waitSeries(String name, List<Long> waits) {
        XYSeries series = new XYSeries(name, false, true);
        for (int i = 0; i < waits.size(); i++) {
            series.add(i / 10.0, waits.get(i));
        }
        return series;
    }

    // ------------------------------------------------------------------ common

    /** The goal as a dashed red line across the plot, labelled where it does not hide the data. */
    private static ValueMarker goalMarker(double value, String label, RectangleAnchor anchor, TextAnchor textAnchor) {
        ValueMarker goal = new ValueMarker(value, GOAL, GOAL_STROKE);
        goal.setLabel(label);
        goal.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
        goal.setLabelPaint(GOAL);
        goal.setLabelBackgroundColor(new Color(255, 255, 255, 210));
        goal.setLabelAnchor(anchor);
        goal.setLabelTextAnchor(textAnchor);
        goal.setLabelOffset(new RectangleInsets(3, 5, 3, 5));
        return goal;
    }

    /** Ticks at each power of ten when the axis spans two or more (a log axis's own ticks fall between them). */
    private static void decades(LogAxis axis, double low, double high) {
        if (Math.log10(high / low) >= 2) {
            axis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1), false, true);
        }
    }

    private static Font titleFont() {
        return new Font(Font.SANS_SERIF, Font.BOLD, 15);
    }

    private static void style(org.jfree.chart.plot.Plot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(Color.LIGHT_GRAY);
        Color grid = new Color(0xdd, 0xdd, 0xdd);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(grid);
            xy.setRangeGridlinePaint(grid);
        } else if (plot instanceof CategoryPlot category) {
            category.setRangeGridlinePaint(grid);
        }
    }

    private static JFreeChart finish(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (chart.getLegend() != null) {
            chart.getLegend().setFrame(org.jfree.chart.block.BlockBorder.NONE);
            chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        }
        return chart;
    }

    /** A number format that reads the same on every machine, whatever its locale. */
    private static DecimalFormat decimal(String pattern) {
        return new DecimalFormat(pattern, java.text.DecimalFormatSymbols.getInstance(Locale.ROOT));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /**
     * B6's phases, from the lines the product prints when started with {@code AGENTCHANNELS_BENCH=1}
     * ({@code agentchannels-bench: <what> at <epoch ms>}, see org.agentchannels.product's StartupMarks), between the
     * bench starting the product and the Live view painted.
     */
    static final class StartupPhases {
        /** One phase: what ended it and how long it took. */
        record Phase(String name, long millis) {
        }

        private static final Pattern MARK = Pattern.compile("agentchannels-bench: (.+) at (\\d+)$");
        private final long startMillis;
        private final List<String> names = new ArrayList<>();
        private final List<Long> times = new ArrayList<>();

        /** {@code startMillis}: the wall clock when the bench started the product's process. */
        StartupPhases(long startMillis) {
            this.startMillis = startMillis;
        }

        /** A line of the product's output; any line that is not a mark is passed over. */
        void read(String line) {
            Matcher m = MARK.matcher(line.strip());
            if (m.find()) {
                mark(m.group(1), Long.parseLong(m.group(2)));
            }
        }

        void mark(String what, long epochMillis) {
            names.add(what);
            times.add(epochMillis);
        }

        /**
         * The phases between consecutive marks in the order of their times (each named for the pair), from the start;
         * none when no mark came.
         */
        List<Phase> phases() {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < times.size(); i++) {
                order.add(i);
            }
            order.sort((a, b) -> Long.compare(times.get(a), times.get(b)));
            List<Phase> phases = new ArrayList<>();
            String previous = "start";
            long at = startMillis;
            for (int i : order) {
                phases.add(new Phase(previous + " \u2192 " + names.get(i), Math.max(0, times.get(i) - at)));
                previous = names.get(i);
                at = Math.max(at, times.get(i));
            }
            return phases;
        }
    }
}
