using System.Globalization;
using ScottPlot;

namespace ImageCatalog.Bench;

/// <summary>The cost-growth plot: S2 and S3 latency (p50 solid, p99 dashed) against the project's size.</summary>
public static class GrowthPlot
{
    public static void Save(IReadOnlyList<GrowthPoint> points, string path)
    {
        var plot = new Plot();
        var sizes = points.Select(point => point.Versions).Distinct().Order().ToArray();
        var positions = Enumerable.Range(0, sizes.Length).Select(index => (double)index).ToArray();
        foreach (var scenario in points.GroupBy(point => point.Scenario))
        {
            var bySize = sizes.Select(size => scenario.Single(point => point.Versions == size)).ToArray();
            var p50 = plot.Add.Scatter(positions, bySize.Select(point => point.P50).ToArray());
            p50.LegendText = $"{scenario.Key} p50";
            var p99 = plot.Add.Scatter(positions, bySize.Select(point => point.P99).ToArray());
            p99.LegendText = $"{scenario.Key} p99";
            p99.LinePattern = LinePattern.Dashed;
            p99.Color = p50.Color;
        }

        plot.Axes.Bottom.SetTicks(positions, sizes.Select(size => size.ToString("N0", CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Bottom.Label.Text = "versions in the project";
        plot.Axes.Left.Label.Text = "latency through the service, ms (one connection)";
        plot.Axes.SetLimitsY(0, Math.Max(1, points.Max(point => point.P99)) * 1.15);
        plot.Title("Cost growth: S2 (page 1, limit 20) and S3 (fuzzy name)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 900, 500);
    }
}
