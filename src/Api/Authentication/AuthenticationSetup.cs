using ImageCatalog.Infrastructure.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;

namespace ImageCatalog.Api.Authentication;

public static class AuthenticationSetup
{
    /// <summary>
    /// The default challenge and forbid scheme: it forwards to the scheme a request's credentials belong to
    /// (<see cref="SchemeFor"/>). Authentication itself has no default scheme: <see cref="CredentialAuthenticationMiddleware"/>
    /// authenticates every request with the scheme of its credentials.
    /// </summary>
    public const string CredentialsScheme = "Credentials";

    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    /// <summary>
    /// <see cref="CredentialAuthenticationMiddleware"/> in place of the framework's authentication middleware. With no
    /// default scheme that one authenticates nothing; what it would still do is give schemes that handle requests
    /// themselves (remote sign-in callbacks) their turn, and this service registers none (a test holds that), while
    /// it costs every request a handler provider from the request's service scope and an asynchronous layer
    /// (docs/performance.md). The property is the mark WebApplication looks for before it adds that middleware itself,
    /// the one the framework's <c>UseAuthentication</c> sets.
    /// </summary>
    public static IApplicationBuilder UseContractAuthentication(this IApplicationBuilder app)
    {
        app.Properties[AuthenticationMiddlewareSetKey] = true;
        return app.UseMiddleware<CredentialAuthenticationMiddleware>();
    }

    public static IServiceCollection AddContractAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(AuthOptions.SectionName);
        services.AddOptions<AuthOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        AddDemoCredentialsIfUnconfigured(services, configuration, section.Get<AuthOptions>() ?? new AuthOptions());

        services
            .AddAuthentication(options =>
            {
                options.DefaultChallengeScheme = CredentialsScheme;
                options.DefaultForbidScheme = CredentialsScheme;
            })
            .AddPolicyScheme(CredentialsScheme, "AK/SK or token", options => options.ForwardDefaultSelector = SchemeFor)
            .AddScheme<AuthenticationSchemeOptions, SdkSignatureHandler>(SdkSignatureHandler.SchemeName, configureOptions: null)
            .AddJwtBearer();
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerOptionsSetup>();
        // The system clock, not the application's TimeProvider: token lifetimes are checked against it.
        services.AddSingleton(new ValidatedTokenCache(TimeProvider.System));
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Read, policy => policy.RequireAuthenticatedUser().AddRequirements(new ProjectAccessRequirement(Role.Reader)))
            .AddPolicy(Policies.Write, policy => policy.RequireAuthenticatedUser().AddRequirements(new ProjectAccessRequirement(Role.Writer)));
        services.AddSingleton<ProjectAccessHandler>();
        services.AddSingleton<IAuthorizationHandler>(provider => provider.GetRequiredService<ProjectAccessHandler>());
        services.AddSingleton<IPolicyEvaluator, ContractPolicyEvaluator>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ContractAuthorizationResultHandler>();
        return services;
    }

    /// <summary>Tokens go to JwtBearer; everything else, no credentials and malformed ones included, to the AK/SK scheme.</summary>
    internal static string SchemeFor(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith(SdkSignature.Algorithm, StringComparison.Ordinal))
        {
            return SdkSignatureHandler.SchemeName;
        }

        return context.Request.Headers.ContainsKey(JwtSetup.TokenHeader)
            || authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? JwtBearerDefaults.AuthenticationScheme
            : SdkSignatureHandler.SchemeName;
    }

    /// <summary>
    /// The embedded run mode with no credentials configured gets demo ones for the demo project, kept beside the
    /// embedded database: an AK/SK (for the SDKs) and a token key (for curl).
    /// </summary>
    private static void AddDemoCredentialsIfUnconfigured(IServiceCollection services, IConfiguration configuration, AuthOptions auth)
    {
        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (!database.UsesEmbeddedServer)
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(database.DataDirectory))!;
        if (auth.AccessKeys.Count == 0)
        {
            var demo = DemoCredentials.LoadOrCreate(folder);
            services.AddSingleton(demo);
            services.PostConfigure<AuthOptions>(options => options.AccessKeys.Add(demo.ForProject(database.DemoProjectId)));
        }

        if (auth.Jwt.Authority is null && auth.Jwt.SigningKeysFile is null)
        {
            services.AddSingleton(DemoTokenIssuer.LoadOrCreate(folder));
            services.PostConfigure<AuthOptions>(options =>
            {
                options.Jwt.Issuer ??= DemoTokenIssuer.Issuer;
                options.Jwt.Audience ??= DemoTokenIssuer.Audience;
            });
        }
    }
}
