package refserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// rfield is one field of a request struct of the re-implementation.
type rfield struct {
	json, goName string
	isInt        bool
	required     bool
	omitempty    bool  // validate only when non-zero
	min          int64 // integers: smallest value (0: none)
	max          int   // strings: longest length (0: none)
	email        bool
}

// rform is a request struct: its Go name (for the errors) and fields in
// declaration order (the validator reports failures in that order).
type rform struct {
	name   string
	fields []rfield
	// wrap: the handler panics with "context bind failed, " + err.Error()
	// instead of the error value (the user routes do).
	wrap bool
}

// rockStructs caches the struct type of each form (name -> reflect.Type).
var rockStructs sync.Map

func (f *rform) structType() reflect.Type {
	if t, ok := rockStructs.Load(f.name); ok {
		return t.(reflect.Type)
	}
	var fs []reflect.StructField
	for _, x := range f.fields {
		typ := reflect.TypeFor[string]()
		if x.isInt {
			typ = reflect.TypeFor[int64]()
		}
		fs = append(fs, reflect.StructField{Name: x.goName, Type: typ, Tag: reflect.StructTag(`json:"` + x.json + `"`)})
	}
	t := reflect.StructOf(fs)
	rockStructs.Store(f.name, t)
	return t
}

// fail turns a binding error into the error handler's answer.
func (f *rform) fail(err error) error {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		ute.Struct = f.name
	}
	if f.wrap {
		return rockPanic("context bind failed, " + err.Error())
	}
	return rockPanic(err)
}

// validationErrors is go-playground's ValidationErrors: a list of field
// errors whose JSON form is a list of empty objects.
type validationErrors struct {
	form *rform
	errs []struct{ field, tag string }
}

func (v *validationErrors) Error() string {
	var lines []string
	for _, e := range v.errs {
		lines = append(lines, fmt.Sprintf("Key: '%s.%s' Error:Field validation for '%s' failed on the '%s' tag", v.form.name, e.field, e.field, e.tag))
	}
	return strings.Join(lines, "\n")
}

func (v *validationErrors) MarshalJSON() ([]byte, error) {
	return json.Marshal(make([]struct{}, len(v.errs)))
}

var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// validate applies the binding rules to the decoded struct and returns its
// fields by JSON name.
func (f *rform) validate(v reflect.Value) (map[string]any, *validationErrors) {
	out := map[string]any{}
	verr := &validationErrors{form: f}
	for i, x := range f.fields {
		fv := v.Field(i)
		out[x.json] = fv.Interface()
		zero := fv.IsZero()
		tag := ""
		switch {
		case zero && x.required:
			tag = "required"
		case zero && x.omitempty:
		case x.isInt && x.min > 0 && fv.Int() < x.min:
			tag = "min"
		case !x.isInt && x.max > 0 && len(fv.String()) > x.max:
			tag = "max"
		case x.email && !validEmail(fv.String()):
			tag = "email"
		}
		if tag != "" {
			verr.errs = append(verr.errs, struct{ field, tag string }{x.goName, tag})
		}
	}
	if len(verr.errs) > 0 {
		return nil, verr
	}
	return out, nil
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && emailRE.MatchString(s)
}

// bindJSON is ShouldBindJSON: decode the body into the struct, then validate.
func (f *rform) bindJSON(r *http.Request) (map[string]any, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, f.fail(err)
	}
	v := reflect.New(f.structType())
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(v.Interface()); err != nil {
		return nil, f.fail(err)
	}
	return f.checked(v.Elem())
}

// bindValues is ShouldBind for a query or ShouldBindUri: strings are taken
// as they are, integers parsed (an empty one is 0).
func (f *rform) bindValues(get func(string) string) (map[string]any, error) {
	v := reflect.New(f.structType()).Elem()
	for i, x := range f.fields {
		raw := get(x.json)
		if !x.isInt {
			v.Field(i).SetString(raw)
			continue
		}
		if raw == "" {
			continue
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, f.fail(err)
		}
		v.Field(i).SetInt(n)
	}
	return f.checked(v)
}

func (f *rform) checked(v reflect.Value) (map[string]any, error) {
	out, verr := f.validate(v)
	if verr != nil {
		return nil, f.fail(verr)
	}
	return out, nil
}

func (f *rform) bindQuery(r *http.Request) (map[string]any, error) {
	return f.bindValues(r.URL.Query().Get)
}

func (f *rform) bindURI(r *http.Request) (map[string]any, error) { return f.bindValues(r.PathValue) }

// bind is ShouldBind: the binding follows the Content-Type. JSON bodies
// bind as bindJSON; anything else is gin's form binding, which reads the
// query and a form body by each field's form tag or, without one, by its Go
// field name. The re-implementation's structs have only json tags, so a
// form-encoded "name=..." binds no field (the key would have to be "Name").
// A multipart body is not read (gin would read it the same way; no client
// of this server sends one).
func (f *rform) bind(r *http.Request) (map[string]any, error) {
	if ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); strings.TrimSpace(ct) == "application/json" {
		return f.bindJSON(r)
	}
	r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return nil, f.fail(err)
	}
	byJSON := map[string]string{}
	for _, x := range f.fields {
		byJSON[x.json] = r.Form.Get(x.goName)
	}
	return f.bindValues(func(k string) string { return byJSON[k] })
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }
func num(m map[string]any, k string) int64  { n, _ := m[k].(int64); return n }

// The request structs of the re-implementation that several routes share.
var (
	rockIDForm   = &rform{name: "IdReq", fields: []rfield{{json: "id", goName: "Id", isInt: true, required: true, min: 1}}}
	rockPageForm = &rform{name: "GetPaginationReq", fields: []rfield{
		{json: "page_size", goName: "PageSize", isInt: true, required: true, min: 1},
		{json: "page_num", goName: "PageNum", isInt: true, required: true, min: 1},
		{json: "query_field", goName: "QueryField"},
	}}
)
