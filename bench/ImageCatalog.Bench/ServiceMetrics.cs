using System.Globalization;

namespace ImageCatalog.Bench;

/// <summary>Reads the service's <c>/metrics</c> (Prometheus text, one sample per line, no timestamps).</summary>
public static class ServiceMetrics
{
    public static Task<string> ReadAsync(HttpClient http, string serviceUrl) => http.GetStringAsync(serviceUrl + "/metrics");

    /// <summary>
    /// The sum of the samples of <paramref name="series"/> (a metric's name with its suffix: <c>_total</c>,
    /// <c>_count</c>, <c>_bucket</c>, ...) over the label sets that contain every one of <paramref name="labels"/>.
    /// </summary>
    public static double Sum(string metrics, string series, params string[] labels) =>
        metrics.Split('\n')
            .Where(line => (line.StartsWith(series + "{", StringComparison.Ordinal) || line.StartsWith(series + " ", StringComparison.Ordinal))
                && labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
