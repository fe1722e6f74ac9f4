/** The named templates every chart's `templates/_helpers.tpl` defines, prefixed with the chart name. */
export const HELPER_NAMES = ['name', 'fullname', 'resourceName', 'chart', 'labels', 'selectorLabels', 'serviceAccountName'] as const;

/** A helper's full name for a chart, e.g. `web.fullname`. */
export function helperName(chart: string, helper: (typeof HELPER_NAMES)[number]): string {
  return `${chart}.${helper}`;
}

/**
 * templates/_helpers.tpl. The names and labels it produces are the chart's released interface:
 * `selectorLabels` feeds Deployment selectors, which Kubernetes never lets change after install.
 */
export function renderHelpers(chart: string): string {
  const h = (helper: (typeof HELPER_NAMES)[number]): string => JSON.stringify(helperName(chart, helper));
  return `{{/*
Helpers of chart ${chart}, written by helm-synth.
*/}}

{{/*
Chart name, or .Values.nameOverride, cut to 63 characters.
*/}}
{{- define ${h('name')} -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Release-scoped base name: .Values.fullnameOverride, else the release name when it already contains
the chart name, else "<release>-<chart>"; cut to 63 characters (a DNS label).
*/}}
{{- define ${h('fullname')} -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Name of one resource: (list . "suffix") gives "<fullname>-<suffix>", the full name cut so the
result fits in 63 characters; an empty suffix gives the full name.
*/}}
{{- define ${h('resourceName')} -}}
{{- $root := index . 0 }}
{{- $suffix := index . 1 }}
{{- if $suffix }}
{{- printf "%s-%s" (include ${h('fullname')} $root | trunc (int (sub 62 (len $suffix))) | trimSuffix "-") $suffix }}
{{- else }}
{{- include ${h('fullname')} $root }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define ${h('chart')} -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of every object.
*/}}
{{- define ${h('labels')} -}}
helm.sh/chart: {{ include ${h('chart')} . }}
{{ include ${h('selectorLabels')} . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels: chart name and release instance. Never change them once the chart is released:
a Deployment's selector is immutable.
*/}}
{{- define ${h('selectorLabels')} -}}
app.kubernetes.io/name: {{ include ${h('name')} . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Service account of the workloads: .Values.serviceAccount.name, else the full name when the chart
creates one, else "default".
*/}}
{{- define ${h('serviceAccountName')} -}}
{{- $serviceAccount := .Values.serviceAccount | default dict }}
{{- if $serviceAccount.create }}
{{- default (include ${h('fullname')} .) $serviceAccount.name }}
{{- else }}
{{- default "default" $serviceAccount.name }}
{{- end }}
{{- end }}
`;
}
