using ImageCatalog.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.DependencyInjection;

namespace ImageCatalog.IntegrationTests.Http;

/// <summary>
/// The automatic 400 for an unreadable body and the 415 for an unsupported one sit on the actions that take a body,
/// and no action filter on those that do not (BodyValidationConvention): the reads run no filter stage.
/// </summary>
public sealed class ActionFilterTests : ApiTest
{
    private static IReadOnlyList<ControllerActionDescriptor> Actions() =>
        [.. TestEnvironment.Factory.Services.GetRequiredService<IActionDescriptorCollectionProvider>()
            .ActionDescriptors.Items.OfType<ControllerActionDescriptor>()];

    private static bool HasBodyValidation(ControllerActionDescriptor action) =>
        action.FilterDescriptors.Any(filter => filter.Filter is IFilterFactory factory
            && factory.CreateInstance(TestEnvironment.Factory.Services) is ModelStateInvalidFilter)
        && action.FilterDescriptors.Any(filter => filter.Filter is UnsupportedContentTypeFilter);

    [Test]
    public void Actions_with_a_body_reject_an_unreadable_one_and_the_others_have_no_action_filter()
    {
        var actions = Actions();
        var withBody = actions.Where(action => action.Parameters.Any(parameter => parameter.BindingInfo?.BindingSource?.Id == "Body")).ToList();
        var withoutBody = actions.Except(withBody).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(withBody.Select(action => action.ActionName), Is.SupersetOf(new[] { "Register", "Update" }));
            Assert.That(withBody, Has.All.Matches<ControllerActionDescriptor>(HasBodyValidation));
            Assert.That(withoutBody.Select(action => action.ActionName), Does.Contain("List"));
            Assert.That(
                withoutBody.SelectMany(action => action.FilterDescriptors
                    .Where(filter => filter.Filter is IActionFilter or IAsyncActionFilter or IFilterFactory)
                    .Select(filter => $"{action.DisplayName}: {filter.Filter.GetType().Name}")),
                Is.Empty);
        });
    }
}
