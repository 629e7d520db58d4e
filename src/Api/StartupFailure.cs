using Microsoft.Extensions.Options;

namespace ImageCatalog.Api;

/// <summary>
/// A configuration value that cannot be read or breaks a rule stops the process with one line on stderr that names
/// the key (docs/configuration.md), instead of a stack trace.
/// </summary>
public static class StartupFailure
{
    public const int ExitCode = 2;

    public static bool TryDescribe(Exception exception, out string line)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case OptionsValidationException validation:
                    line = "Invalid configuration: " + string.Join("; ", validation.Failures);
                    return true;
                // The configuration binder's message names the key and the type: "Failed to convert configuration
                // value at 'Database:MaxPoolSize' to type 'System.Int32'."
                case InvalidOperationException binding when binding.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal):
                    line = "Invalid configuration: " + binding.Message;
                    return true;
            }
        }

        line = string.Empty;
        return false;
    }
}
