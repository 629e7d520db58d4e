using System.Globalization;
using System.Text;

namespace ImageCatalog.Bench;

/// <summary>The read scenarios of issue 5; <see cref="Query"/> varies its values with the request number where the scenario allows.</summary>
public sealed record Scenario(string Id, string Title, string Project, Func<int, string> Query)
{
    public static IEnumerable<Scenario> All(DataSet data)
    {
        yield return new("S1", "page 1, default limit (200), project A", DataSet.ProjectA, _ => "");
        yield return new("S2", "page 1, limit 20, project A", DataSet.ProjectA, _ => "limit=20");
        yield return new("S3", "fuzzy name of 3-5 characters, limit 20", DataSet.ProjectA, i => $"name={FuzzyFragment(i)}&limit=20");
        yield return new("S4", "exact name", DataSet.ProjectA, i => $"name={ExactName(data, i)}&name_fuzzy_match=false");
        yield return new("S5", "namespace filter, limit 20", DataSet.ProjectA, i => $"namespace=ns-{i % data.Namespaces}&limit=20");
        yield return new("S6", "offset 10,000, limit 20", DataSet.ProjectA, _ => $"offset={Math.Min(10_000, data.Groups / 4)}&limit=20");
        yield return new("S7", "a small project's page 1", DataSet.SmallProject(0), _ => "limit=20");
    }

    // Group names end in 6 hex digits of md5; a 3-5 character fragment of hex matches a small share of them.
    private static string FuzzyFragment(int i) => Convert.ToHexStringLower(BitConverter.GetBytes(i * 2654435761u))[..(3 + (i % 3))];

    // The exact name of an even group (workspace 0): image-<g>-<md5(seed:g) prefix>, as DataSet generates it.
    private static string ExactName(DataSet data, int i)
    {
        var group = ((i * 7919) % (data.Groups / 2) + 1) * 2;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes($"20261204:{group}")));
        return string.Create(CultureInfo.InvariantCulture, $"image-{group}-{hash[..6]}");
    }
}

public sealed record ScenarioResult(
    string Id, string Title, Measurement Floor, Measurement Service, Measurement Naive, double OpenLoopRate, Measurement Open, string Plan)
{
    public double ServiceToFloor => Service.RequestsPerSecond / Floor.RequestsPerSecond;

    public double ServiceToNaive => Service.RequestsPerSecond / Math.Max(0.001, Naive.RequestsPerSecond);
}

public sealed record BenchReport(
    DateTimeOffset RunAt, string Mode, int Cores, DataSet Data, double LoadSeconds, double ServicePeakRssMb, string LoadGenerator,
    IReadOnlyList<ScenarioResult> Scenarios)
{
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine("# Performance");
        text.AppendLine();
        text.AppendLine(c, $"Produced by `dotnet run -c Release --project bench/ImageCatalog.Bench` on {RunAt:yyyy-MM-dd HH:mm} UTC, {Cores} cores, ");
        text.AppendLine(c, $"load generator, service and PostgreSQL on the same machine. Figures from {LoadGenerator}.");
        text.AppendLine();
        text.AppendLine(c, $"Data: {Data.Versions:N0} versions; project A {Data.Groups:N0} groups x {Data.VersionsPerGroup} over {Data.Namespaces} namespaces and 2 workspaces; ");
        text.AppendLine(c, $"{Data.SmallProjects} projects of {Data.SmallProjectVersions:N0}; {Data.BuiltInVersions:N0} built-in. Loaded in {LoadSeconds:F1} s. Service peak RSS {ServicePeakRssMb:F0} MB.");
        text.AppendLine();
        text.AppendLine("| scenario | service req/s | floor req/s | naive req/s | service/floor | service/naive | open-loop rate | p50 ms | p99 ms | p99.9 ms |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var s in Scenarios)
        {
            text.AppendLine(c, $"| {s.Id} {s.Title} | {s.Service.RequestsPerSecond:F0} | {s.Floor.RequestsPerSecond:F0} | {s.Naive.RequestsPerSecond:F1} | {s.ServiceToFloor:F2} | {s.ServiceToNaive:F0} | {s.OpenLoopRate:F0}/s | {s.Open.P50:F2} | {s.Open.P99:F2} | {s.Open.P999:F2} |");
        }

        text.AppendLine();
        text.AppendLine("## Targets");
        text.AppendLine();
        text.AppendLine("| target | measured | met |");
        text.AppendLine("|---|---|---|");
        foreach (var (target, measured, met) in Targets())
        {
            text.AppendLine(c, $"| {target} | {measured} | {(met ? "yes" : "**no**")} |");
        }

        text.AppendLine();
        text.AppendLine("## Query plans");
        text.AppendLine();
        text.AppendLine("`EXPLAIN (ANALYZE, BUFFERS)` of the product's page and count statements for each scenario's first request, after the load.");
        foreach (var s in Scenarios)
        {
            text.AppendLine();
            text.AppendLine(c, $"### {s.Id} {s.Title}");
            text.AppendLine();
            text.AppendLine("```");
            text.Append(s.Plan.TrimEnd());
            text.AppendLine();
            text.AppendLine("```");
        }

        return text.ToString();
    }

    private IEnumerable<(string Target, string Measured, bool Met)> Targets()
    {
        var c = CultureInfo.InvariantCulture;
        ScenarioResult? Get(string id) => Scenarios.FirstOrDefault(s => s.Id == id);
        foreach (var s in Scenarios)
        {
            yield return ($"{s.Id} saturated throughput >= 0.8 x floor", string.Create(c, $"{s.ServiceToFloor:F2} x"), s.ServiceToFloor >= 0.8);
        }

        if (Get("S2") is { } s2)
        {
            yield return ("S2 >= 500 x naive", string.Create(c, $"{s2.ServiceToNaive:F0} x"), s2.ServiceToNaive >= 500);
        }

        foreach (var id in new[] { "S3", "S4", "S5" })
        {
            if (Get(id) is { } s)
            {
                yield return ($"{id} >= 20 x naive", string.Create(c, $"{s.ServiceToNaive:F0} x"), s.ServiceToNaive >= 20);
            }
        }

        foreach (var (id, limit) in new[] { ("S2", 10.0), ("S7", 10.0), ("S3", 25.0), ("S4", 25.0), ("S5", 25.0), ("S6", 50.0) })
        {
            if (Get(id) is { } s)
            {
                yield return ($"{id} open-loop p99 < {limit:F0} ms", string.Create(c, $"{s.Open.P99:F1} ms"), s.Open.P99 < limit);
            }
        }

        yield return ("service RSS under load < 300 MB", string.Create(c, $"{ServicePeakRssMb:F0} MB"), ServicePeakRssMb < 300);
        yield return ("full data load < 2 min", string.Create(c, $"{LoadSeconds:F0} s"), LoadSeconds < 120);
    }
}
