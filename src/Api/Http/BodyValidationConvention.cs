using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;

namespace ImageCatalog.Api.Http;

/// <summary>
/// [ApiController]'s automatic 400 for a body that cannot be read, and MVC's 415 for a body of a media type no input
/// formatter reads, on the actions that take a body, and only there (<see cref="ApiBehaviorOptions.SuppressModelStateInvalidFilter"/>
/// is set and the global <see cref="UnsupportedContentTypeFilter"/> removed). MVC would put both filters on every
/// action, and any action filter gives every request a filter stage and a state machine more; an action that binds
/// no body has no model state for them to check.
/// </summary>
public sealed class BodyValidationConvention : IActionModelConvention
{
    public void Apply(ActionModel action)
    {
        if (action.Parameters.Any(parameter => parameter.BindingInfo?.BindingSource == BindingSource.Body))
        {
            action.Filters.Add(new UnsupportedContentTypeFilter());
            action.Filters.Add(new InvalidBodyFilterFactory());
        }
    }

    private sealed class InvalidBodyFilterFactory : IFilterFactory, IOrderedFilter
    {
        public bool IsReusable => true;

        // The order MVC gives the filter itself: before any other action filter.
        public int Order => -2000;

        public IFilterMetadata CreateInstance(IServiceProvider serviceProvider) => new ModelStateInvalidFilter(
            serviceProvider.GetRequiredService<IOptions<ApiBehaviorOptions>>().Value,
            serviceProvider.GetRequiredService<ILoggerFactory>().CreateLogger<ModelStateInvalidFilter>());
    }
}
