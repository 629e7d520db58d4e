using ImageCatalog.Api.Authentication;
using ImageCatalog.Api.Http;
using ImageCatalog.Api.OpenApi;
using ImageCatalog.Application.Common;
using ImageCatalog.Application.ImageGroups.DeleteImageGroup;
using ImageCatalog.Application.ImageGroups.GetImageGroups;
using ImageCatalog.Application.ImageGroups.UpdateImageGroup;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace ImageCatalog.Api.Controllers;

/// <remarks>
/// No <c>[Produces]</c> here: every action writes a result of its own or no body, so there is no content negotiation
/// to restrict, and the attribute is a result filter that would run on every request; the media type is on each
/// response type instead.
/// </remarks>
[ApiController]
[Route("v1/{project_id}/images/group")]
public sealed class ImageGroupsController(IMediator mediator) : ControllerBase
{
    private const int MaxUpdateBodyBytes = 256 * 1024;
    private const string Json = "application/json";

    /// <summary>ListImageGroup: the project's images aggregated by name (CONTRACT.md section 1).</summary>
    [ListQueryParameters]
    [QueryParameter(ReadConsistencyHeader.Name, typeof(ReadConsistency), ReadConsistencyHeader.Description, Default = "EVENTUAL", InHeader = true)]
    [HttpGet]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<ImageGroupPage>(StatusCodes.Status200OK, Json)]
    [ProducesResponseType<ErrorBody>(StatusCodes.Status400BadRequest, Json)]
    public async Task<JsonBody<ImageGroupPage>> List()
    {
        // No action parameters, so MVC binds nothing: binding the route value and the token cost a binding context
        // and a validation visit each, on the API's busiest call (docs/performance.md). The route template has the value.
        var projectId = (string)RouteData.Values["project_id"]!;
        var cancellationToken = HttpContext.RequestAborted;
        var query = StrictQueryString.Parse(Request.QueryString.Value);
        var list = ListParameters.Read(query);
        query.ThrowIfInvalid();
        var message = new GetImageGroupsQuery(
            projectId, list.Name, list.NameFuzzyMatch, list.Namespace, list.Type, list.WorkspaceId, list.Limit, list.Offset)
        {
            Consistency = ReadConsistencyHeader.Read(Request),
        };
        // A result of its own writes the page with the generated serialiser and its length, and skips MVC's formatter
        // selection, which cost as much as the serialisation itself (docs/performance.md).
        return new(await mediator.Send(message, cancellationToken), ResponseJson.Default.ImageGroupPage);
    }

    /// <summary>UpdateImageGroup: sets the group's read_me and tags; 204.</summary>
    [HttpPut("{id}")]
    [Authorize(Policy = Policies.Write)]
    [Consumes("application/json")]
    [RequestSizeLimit(MaxUpdateBodyBytes)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ErrorBody>(StatusCodes.Status403Forbidden, Json)]
    [ProducesResponseType<ErrorBody>(StatusCodes.Status404NotFound, Json)]
    public async Task<IActionResult> Update(
        [FromRoute(Name = "project_id")] string projectId,
        [FromRoute(Name = "id")] string id,
        [FromBody] UpdateImageGroupRequest request,
        CancellationToken cancellationToken)
    {
        await mediator.Send(
            new UpdateImageGroupCommand(projectId, RouteIds.Parse(id, "id"), request.ReadMe, request.Tags, User.IsOperator()), cancellationToken);
        return NoContent();
    }

    /// <summary>DeleteImageGroup: removes every version of the group; 204.</summary>
    [HttpDelete("{id}")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ErrorBody>(StatusCodes.Status403Forbidden, Json)]
    [ProducesResponseType<ErrorBody>(StatusCodes.Status404NotFound, Json)]
    public async Task<IActionResult> Delete(
        [FromRoute(Name = "project_id")] string projectId,
        [FromRoute(Name = "id")] string id,
        CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteImageGroupCommand(projectId, RouteIds.Parse(id, "id"), User.IsOperator()), cancellationToken);
        return NoContent();
    }
}

/// <summary>The UpdateImageGroup body: a field that is given replaces the stored one.</summary>
public sealed record UpdateImageGroupRequest(string? ReadMe, IReadOnlyList<GroupTag>? Tags);
