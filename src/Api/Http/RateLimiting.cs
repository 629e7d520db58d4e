using System.Globalization;
using System.Threading.RateLimiting;
using ImageCatalog.Api.Authentication;
using Microsoft.Extensions.Options;

namespace ImageCatalog.Api.Http;

/// <summary>The <c>RateLimit</c> section: a token bucket per credential (access key or token subject).</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimit";

    /// <summary>Sustained requests per second for one credential.</summary>
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>How many requests one credential may send at once above the sustained rate.</summary>
    public int Burst { get; set; } = 200;

    /// <summary>A token bucket needs at least one token per period and room for one.</summary>
    public IReadOnlyList<string> Validate() =>
    [
        .. PermitsPerSecond < 1 ? [$"{SectionName}:{nameof(PermitsPerSecond)} must be at least 1, not {PermitsPerSecond}"] : Array.Empty<string>(),
        .. Burst < 1 ? [$"{SectionName}:{nameof(Burst)} must be at least 1, not {Burst}"] : Array.Empty<string>(),
    ];
}

public static class RateLimiting
{
    public static IServiceCollection AddCredentialRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>() ?? new RateLimitOptions();
        if (limits.Validate() is { Count: > 0 } failures)
        {
            throw new OptionsValidationException(RateLimitOptions.SectionName, typeof(RateLimitOptions), failures);
        }

        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.Burst,
            TokensPerPeriod = limits.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        // Made once: a factory that captured the limits would be a new delegate on every request.
        Func<RateLimitKey, TokenBucketRateLimiterOptions> bucketOf = _ => bucket;
        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, RateLimitKey>(context =>
            {
                // Only the API is limited; callers without valid credentials are limited by address.
                if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
                {
                    return RateLimitPartition.GetNoLimiter(RateLimitKey.Unlimited);
                }

                var key = context.User.Credential() is { } credential
                    ? new RateLimitKey(credential, ByAddress: false)
                    : new RateLimitKey(context.Connection.RemoteIpAddress?.ToString() ?? "", ByAddress: true);
                return RateLimitPartition.GetTokenBucketLimiter(key, bucketOf);
            });
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter =
                    Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var (code, message) = ErrorResponse.ForStatus(StatusCodes.Status429TooManyRequests);
                await ErrorResponse.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, code, message);
            };
        });
    }
}

/// <summary>A rate limit partition: a credential, or the address of a caller without valid credentials.</summary>
public readonly record struct RateLimitKey(string Value, bool ByAddress)
{
    /// <summary>The partition of everything outside the API; no address is spelled so.</summary>
    public static readonly RateLimitKey Unlimited = new("unlimited", ByAddress: true);
}
