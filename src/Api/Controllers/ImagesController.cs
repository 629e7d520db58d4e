using FluentValidation;
using FluentValidation.Results;
using ImageCatalog.Api.Authentication;
using ImageCatalog.Api.Http;
using ImageCatalog.Api.OpenApi;
using ImageCatalog.Application.Common;
using ImageCatalog.Application.Images;
using ImageCatalog.Application.Images.DeleteImage;
using ImageCatalog.Application.Images.GetImage;
using ImageCatalog.Application.Images.ListImages;
using ImageCatalog.Application.Images.RegisterImage;
using ImageCatalog.Domain.Images;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ImageCatalog.Api.Controllers;

[ApiController]
[Route("v1/{project_id}/images")]
[Produces("application/json")]
public sealed class ImagesController(IMediator mediator) : ControllerBase
{
    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// RegisterImage: adds an image version; 201 with the image, 409 when its swr_path is already registered. With an
    /// <c>Idempotency-Key</c> header the same registration again gets the first answer; another body with the key is a 422.
    /// </summary>
    [QueryParameter(
        RegisterImageCommandValidator.IdempotencyKeyHeader,
        typeof(string),
        "1-255 visible ASCII characters. The same registration again with the key gets the first answer (kept 24 h); another body with it is a 422.",
        InHeader = true)]
    [HttpPost]
    [Authorize(Policy = Policies.Write)]
    [Consumes("application/json")]
    [RequestSizeLimit(MaxBodyBytes)]
    [ProducesResponseType<ImageDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ErrorBody>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorBody>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ErrorBody>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<ActionResult<ImageDto>> Register(
        [FromRoute(Name = "project_id")] string projectId,
        [FromBody] RegisterImageRequest request,
        CancellationToken cancellationToken)
    {
        // Read here, not bound: binding would turn an empty key, a client's mistake to report, into no key at all.
        var keys = Request.Headers[RegisterImageCommandValidator.IdempotencyKeyHeader];
        if (keys.Count > 1)
        {
            throw new ValidationException([new ValidationFailure(RegisterImageCommandValidator.IdempotencyKeyHeader, "must be given once")]);
        }

        var command = request.ToCommand(projectId, User.IsOperator()) with { IdempotencyKey = keys.Count == 1 ? keys[0] ?? "" : null };
        var image = await mediator.Send(command, cancellationToken);
        return Created($"/v1/{Uri.EscapeDataString(projectId)}/images/{image.Id}", image);
    }

    /// <summary>ListImage: the visible image versions, filtered, sorted and paged.</summary>
    [ListQueryParameters]
    [QueryParameter("service_type", typeof(ImageServiceType), "COMMON, INFERENCE, TRAIN, DEV or UNKNOWN.")]
    [QueryParameter("sort_key", typeof(string), "Comma-separated keys among create_at, update_at, name, namespace, tag (camelCase accepted).", Default = "create_at")]
    [QueryParameter("sort_dir", typeof(SortDirection), "ASC or DESC.", Default = "DESC")]
    [QueryParameter(ReadConsistencyHeader.Name, typeof(ReadConsistency), ReadConsistencyHeader.Description, Default = "EVENTUAL", InHeader = true)]
    [HttpGet]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<ImagePage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorBody>(StatusCodes.Status400BadRequest)]
    public async Task<ImagePage> List([FromRoute(Name = "project_id")] string projectId, CancellationToken cancellationToken)
    {
        var query = StrictQueryString.Parse(Request.QueryString.Value);
        var list = ListParameters.Read(query);
        var serviceType = query.GetEnum<ImageServiceType>("service_type");
        var sortKey = query.GetString("sort_key");
        var sortDir = query.GetEnum<SortDirection>("sort_dir") ?? SortDirection.Desc;
        query.ThrowIfInvalid();
        var message = new ListImagesQuery(
            projectId, list.Name, list.NameFuzzyMatch, list.Namespace, list.Type, list.WorkspaceId,
            serviceType, sortKey, sortDir, list.Limit, list.Offset)
        {
            Consistency = ReadConsistencyHeader.Read(Request),
        };
        return await mediator.Send(message, cancellationToken);
    }

    /// <summary>ShowImage: one image the project can see; 404 when it cannot.</summary>
    [QueryParameter(ReadConsistencyHeader.Name, typeof(ReadConsistency), ReadConsistencyHeader.Description, Default = "EVENTUAL", InHeader = true)]
    [HttpGet("{id}")]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<ImageDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorBody>(StatusCodes.Status404NotFound)]
    public async Task<ImageDto> Show(
        [FromRoute(Name = "project_id")] string projectId,
        [FromRoute(Name = "id")] string id,
        CancellationToken cancellationToken) =>
        await mediator.Send(
            new GetImageQuery(projectId, RouteIds.Parse(id, "id")) { Consistency = ReadConsistencyHeader.Read(Request) }, cancellationToken);

    /// <summary>
    /// DeleteImage: answers the deleted image with status DELETED. The <c>force</c> query flag and the <c>is_force</c>
    /// body flag are accepted as the SDKs send them; the catalog holds no image layers, so they change nothing.
    /// </summary>
    [QueryParameter("force", typeof(bool), "Accepted for SDK compatibility; changes nothing.", Default = "false")]
    [HttpDelete("{id}")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<ImageDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorBody>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ErrorBody>(StatusCodes.Status404NotFound)]
    public async Task<ImageDto> Delete(
        [FromRoute(Name = "project_id")] string projectId,
        [FromRoute(Name = "id")] string id,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] DeleteImageRequest? request,
        CancellationToken cancellationToken)
    {
        var query = StrictQueryString.Parse(Request.QueryString.Value);
        // Read only so that a malformed flag is a 400 like any other parameter.
        query.GetBoolean("force", defaultValue: request?.IsForce ?? false);
        query.ThrowIfInvalid();
        return await mediator.Send(new DeleteImageCommand(projectId, RouteIds.Parse(id, "id"), User.IsOperator()), cancellationToken);
    }
}

/// <summary>The optional DeleteImage body.</summary>
public sealed record DeleteImageRequest(bool? IsForce);
