using ImageCatalog.Infrastructure.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace ImageCatalog.Api.Authentication;

public static class AuthenticationSetup
{
    public static IServiceCollection AddContractAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(AuthOptions.SectionName);
        services.Configure<AuthOptions>(section);
        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.UsesEmbeddedServer && (section.Get<AuthOptions>()?.AccessKeys.Count ?? 0) == 0)
        {
            var demo = DemoCredentials.LoadOrCreate(database);
            services.AddSingleton(demo);
            services.PostConfigure<AuthOptions>(options => options.AccessKeys.Add(demo.ForProject(database.DemoProjectId)));
        }

        services
            .AddAuthentication(SdkSignatureHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, SdkSignatureHandler>(SdkSignatureHandler.SchemeName, configureOptions: null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Read, policy => policy.RequireAuthenticatedUser().AddRequirements(new ProjectAccessRequirement(Role.Reader)))
            .AddPolicy(Policies.Write, policy => policy.RequireAuthenticatedUser().AddRequirements(new ProjectAccessRequirement(Role.Writer)));
        services.AddSingleton<IAuthorizationHandler, ProjectAccessHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ContractAuthorizationResultHandler>();
        return services;
    }
}
