using Microsoft.Extensions.Options;

namespace ImageCatalog.Api.Health;

/// <summary>The <c>Shutdown</c> section: how the service leaves a rolling update without failing a request.</summary>
public sealed class ShutdownOptions
{
    public const string SectionName = "Shutdown";

    public static readonly TimeSpan MaxDrainDelay = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    /// <summary>After SIGTERM, readiness answers 503 for this long while requests are still served.</summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Then the server stops accepting connections and in-flight requests get this long to finish.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(25);
}

/// <summary>Failures name the configuration key, so that the one line the process prints says what to fix.</summary>
public sealed class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>
{
    public ValidateOptionsResult Validate(string? name, ShutdownOptions options)
    {
        var failures = new List<string>();
        if (options.DrainDelay < TimeSpan.Zero || options.DrainDelay > ShutdownOptions.MaxDrainDelay)
        {
            failures.Add($"{ShutdownOptions.SectionName}:{nameof(ShutdownOptions.DrainDelay)} must be from 00:00:00 to {ShutdownOptions.MaxDrainDelay:c}, not {options.DrainDelay:c}");
        }

        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > ShutdownOptions.MaxTimeout)
        {
            failures.Add($"{ShutdownOptions.SectionName}:{nameof(ShutdownOptions.Timeout)} must be from 00:00:01 to {ShutdownOptions.MaxTimeout:c}, not {options.Timeout:c}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
