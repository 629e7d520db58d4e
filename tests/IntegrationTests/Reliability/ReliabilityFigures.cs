using System.Text.Json;

namespace ImageCatalog.IntegrationTests.Reliability;

/// <summary>
/// The figures a reliability test measured: written to the test's output always, and as
/// <c>{name}.json</c> into <c>IMAGECATALOG_RELIABILITY_FIGURES</c> when set, where <c>reliability/run</c> collects them
/// for docs/reliability.md.
/// </summary>
public static class ReliabilityFigures
{
    public const string DirectoryVariable = "IMAGECATALOG_RELIABILITY_FIGURES";

    /// <summary>Set by <c>reliability/run --full</c>: the long variants (more requests, longer load).</summary>
    public static bool Full => Environment.GetEnvironmentVariable("IMAGECATALOG_RELIABILITY_FULL") == "1";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Record(string name, object figures)
    {
        var json = JsonSerializer.Serialize(figures, Json);
        TestContext.Out.WriteLine($"{name}: {json}");
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, name + ".json"), json);
        }
    }
}
