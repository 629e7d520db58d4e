using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace ImageCatalog.Application;

public static class DependencyInjection
{
    /// <summary>
    /// Validators are singletons: they hold no state, and the mediator's pipeline behaviours that use them
    /// then have no scoped dependency to capture.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssemblyContaining<ImageGroups.GetImageGroups.GetImageGroupsQueryValidator>(ServiceLifetime.Singleton);
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
