"""The parameters of /api/* as pydantic models: validation, defaults, limits and descriptions.

`read(Model, params, known)` validates a request's parameters (a mapping of names to
lists of values, as a URL or the command line gives them) and turns the first problem
into a `QueryError` naming the parameter, in the same words whatever the model.
Filter values are checked against `known` — each facet's values in the served build —
so an unknown one is a 400 listing the valid values, not an empty result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from search.errors import QueryError
from search.models import FACETS, SORTS, SearchRequest
from search.query.request import (
    COMPARE_MAX,
    COMPARE_MIN,
    DEFAULT_SUGGESTIONS,
    FALSE,
    MAX_DEPTH,
    MAX_EXPLAINED,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY,
    MAX_SUGGESTIONS,
    MAX_VALUE_LENGTH,
    MAX_VALUES,
    TRUE,
    clean_text,
)

Value = Annotated[str, Field(max_length=MAX_VALUE_LENGTH)]
Model = TypeVar("Model", bound=BaseModel)
# How an error of each pydantic type reads; {name} is the parameter.
MESSAGES = {
    "int_parsing": "{name} must be a whole number, not {input!r}",
    "int_from_float": "{name} must be a whole number, not {input!r}",
    "string_too_long": "{name} must be at most {max_length} characters",
    "too_long": "at most {max_length} values of {name} may be selected",
    "bool_parsing": "{name} must be 1 or 0 (true or false), not {input!r}",
}


class UnknownValue(QueryError):
    """A filter value the served build does not have; `allowed` lists those it has."""

    def __init__(self, message: str, param: str, allowed: Sequence[str]):
        super().__init__(message, param)
        self.allowed = list(allowed)


def problem(param: str, message: str) -> PydanticCustomError:
    """Return a validation error that names its parameter and says what is wrong in full."""
    return PydanticCustomError("param", "{message}", {"message": message, "param": param})


class Params(BaseModel):
    """Query parameters: unknown names are ignored, a blank value means the default."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def drop_blanks(cls, data: Any) -> Any:
        """Treat an empty value ("page=") as no value."""
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        return data


def facet_field(facet: str) -> Any:
    return Field(
        [],
        max_length=MAX_VALUES,
        description=f"{facet} filter, repeatable: values OR-ed, facets AND-ed; "
        "an unknown value is a 400 listing the valid ones",
    )


class SearchParams(Params):
    """/api/search, /api/search.csv, /api/search.json and the search page."""

    q: str = Field("", max_length=MAX_QUERY, description="query text; empty lists everything")
    area: list[Value] = facet_field("Area (slug)")
    theme: list[Value] = facet_field("theme (slug)")
    part: list[Value] = facet_field("Part (a–e or general)")
    kind: list[Value] = facet_field("kind of entry")
    page: int = Field(1, ge=1, le=MAX_PAGE, description="page of results")
    per_page: int = Field(10, ge=1, le=MAX_PER_PAGE, description="results per page")
    sort: Literal[SORTS] = Field("relevance", description="order of results")
    explain: bool = Field(
        False,
        description=(
            f"1: add to the result how the query was read, and to each of the first {MAX_EXPLAINED} "
            "hits why it scored as it did (ignored on the HTML page)"
        ),
    )

    verbatim: bool = Field(
        False, description="1: search the words as typed, without correcting their spelling"
    )

    @field_validator("q", mode="before")
    @classmethod
    def clean_query(cls, value: Any) -> Any:
        return clean_text(value) if isinstance(value, str) else value

    @field_validator(*FACETS, mode="before")
    @classmethod
    def clean_values(cls, values: Any) -> Any:
        if isinstance(values, list):
            return [clean_text(v) for v in values if isinstance(v, str) and clean_text(v)]
        return values

    @field_validator(*FACETS)
    @classmethod
    def distinct_values(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(v.lower() for v in values))

    @field_validator("sort", mode="before")
    @classmethod
    def clean_sort(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("explain", "verbatim", mode="before")
    @classmethod
    def read_flag(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in TRUE | FALSE:
            return value.strip().lower() in TRUE
        return value

    @model_validator(mode="after")
    def within_depth(self) -> SearchParams:
        if self.page * self.per_page > MAX_DEPTH:
            raise problem("page", f"page × per_page must be at most {MAX_DEPTH}; narrow the search instead")
        return self

    def to_request(self) -> SearchRequest:
        """Return the validated search the query stage runs."""
        return SearchRequest(
            q=self.q,
            area=tuple(self.area),
            theme=tuple(self.theme),
            part=tuple(self.part),
            kind=tuple(self.kind),
            page=self.page,
            per_page=self.per_page,
            sort=self.sort,
            explain=self.explain,
            verbatim=self.verbatim,
        )


class SuggestParams(Params):
    """/api/suggest."""

    q: str = Field("", max_length=MAX_QUERY, description="the text typed so far")
    limit: int = Field(
        DEFAULT_SUGGESTIONS, ge=1, le=MAX_SUGGESTIONS, description="most completions to return"
    )
    format: Literal["json", "opensearch"] = Field(
        "json", description="`opensearch`: the OpenSearch suggestions array (application/x-suggestions+json)"
    )

    @model_validator(mode="before")
    @classmethod
    def keep_trailing_space(cls, data: Any) -> Any:
        """Keep "victim " as typed (a space means the next word starts), but no control characters."""
        if isinstance(data, dict) and isinstance(data.get("q"), str):
            return {**data, "q": "".join(" " if c.isspace() else c for c in data["q"]).lstrip()}
        return data


class CompareParams(Params):
    """/api/compare, /compare and /compare.csv."""

    area: list[Value] = Field(
        [], description=f"Area slug or name, repeated {COMPARE_MIN} to {COMPARE_MAX} times"
    )


RATING_COLUMNS = ("area", "part", "code", "rating")


class RatingsParams(Params):
    """/api/ratings, /ratings and /ratings.csv."""

    area: list[Value] = facet_field("Area (slug)")
    part: list[Value] = facet_field("Part (a–d)")
    criterion: list[Value] = Field(
        [],
        max_length=MAX_VALUES,
        description="criterion code (C1, or C for Part C's overall score), repeatable",
    )
    rating: list[Value] = Field(
        [], max_length=MAX_VALUES, description="Excellent, Good, Fair or Poor, repeatable"
    )
    sort: str = Field(
        "area",
        max_length=MAX_VALUE_LENGTH,
        description="area, part, code, rating or a criterion code (its ratings best first); "
        "a leading - reverses the order",
    )

    @field_validator("area", "part", mode="after")
    @classmethod
    def lower_values(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(v.strip().lower() for v in values))

    @field_validator("criterion", mode="after")
    @classmethod
    def upper_codes(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(v.strip().upper() for v in values))

    @field_validator("rating", mode="after")
    @classmethod
    def title_ratings(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(v.strip().capitalize() for v in values))

    def chosen_words(self) -> list[str]:
        """Return what the filters keep, in words a download's file name is made of."""
        return [*self.area, *self.part, *self.criterion, *self.rating]


def check_known(params: BaseModel, known: Mapping[str, Sequence[str]]) -> None:
    """Raise QueryError for the first value that is not among its parameter's known values."""
    for name, allowed in known.items():
        values = getattr(params, name, None)
        if name == "sort" and isinstance(values, str):
            values = [values.removeprefix("-")]
        for value in values or ():
            if value not in allowed:
                shown = ", ".join(allowed)
                raise UnknownValue(
                    f"{name} has no value {value[:40]!r}; valid values: {shown}", name, allowed
                )


def read(
    model: type[Model], params: Mapping[str, Sequence[str]], known: Mapping[str, Sequence[str]] = {}
) -> Model:
    """Validate parameters (each a list of values) into `model`, or raise QueryError naming the first bad one.

    `known` lists, for the parameters that take only certain values, the values they take.
    """
    data: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        values = list(params.get(name) or ())
        if not values:
            continue
        data[name] = values if is_list(field.annotation) else values[0]
    try:
        found = model.model_validate(data)
    except ValidationError as exc:
        raise query_error(model, exc.errors()[0]) from None
    check_known(found, known)
    return found


def is_list(annotation: Any) -> bool:
    return getattr(annotation, "__origin__", None) is list


def query_error(model: type[BaseModel], error: dict) -> QueryError:
    """Say what is wrong with one parameter, as every endpoint says it."""
    kind, ctx, loc = error["type"], error.get("ctx") or {}, error["loc"]
    if kind == "param":
        return QueryError(ctx["message"], ctx["param"])
    name = str(loc[0])
    field = model.model_fields[name]
    raw = error.get("input")
    shown = raw[:40] if isinstance(raw, str) else raw
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = bounds(field)
        return QueryError(f"{name} must be between {low} and {high}", name)
    if kind == "literal_error":
        choices = get_args(field.annotation)
        return QueryError(f"{name} must be one of {', '.join(choices)}", name)
    if kind == "string_too_long" and len(loc) > 1:
        return QueryError(f"{name} values must be at most {ctx['max_length']} characters", name)
    template = MESSAGES.get(kind)
    if template:
        return QueryError(template.format(name=name, input=shown, **ctx), name)
    return QueryError(f"{name} is not valid: {error['msg']}", name)


def bounds(field) -> tuple[Any, Any]:
    """Return a numeric field's least and greatest allowed values."""
    low = next((m.ge for m in field.metadata if getattr(m, "ge", None) is not None), None)
    high = next((m.le for m in field.metadata if getattr(m, "le", None) is not None), None)
    return low, high
