import { goString } from '../tokens/go-template';
import { HelperName, helperName, MAX_SUFFIX_LENGTH } from '../chart/resource-naming';

/**
 * templates/_helpers.tpl. The names and labels it produces are the chart's released interface:
 * `selectorLabels` feeds workload selectors, which Kubernetes never lets change after install.
 * Names longer than 63 characters are cut and end in a hash of the whole name, so two releases
 * never get the same name however long their names are.
 */
export function renderHelpers(chart: string): string {
  const h = (helper: HelperName): string => goString(helperName(chart, helper));
  const keep = 63 - 1 - 8;
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
the chart name, else "<release>-<chart>". Past 63 characters it is cut to ${keep} and ends in 8 hex
characters of the sha256 of the whole name, so long release names never share a name.
*/}}
{{- define ${h('fullname')} -}}
{{- $full := "" }}
{{- if .Values.fullnameOverride }}
{{- $full = .Values.fullnameOverride }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- $full = .Release.Name }}
{{- else }}
{{- $full = printf "%s-%s" .Release.Name $name }}
{{- end }}
{{- end }}
{{- if gt (len $full) 63 }}
{{- printf "%s-%s" ($full | trunc ${keep} | trimSuffix "-") ($full | sha256sum | trunc 8) }}
{{- else }}
{{- $full | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/*
Name of one resource: (list . "suffix") gives "<fullname>-<suffix>"; when that is longer than 63
characters, the full name is cut and followed by 8 hex characters of its sha256, so the result is 63
characters and still differs between releases. An empty suffix gives the full name. Suffixes are at
most ${MAX_SUFFIX_LENGTH} characters.
*/}}
{{- define ${h('resourceName')} -}}
{{- $root := index . 0 }}
{{- $suffix := index . 1 }}
{{- $full := include ${h('fullname')} $root }}
{{- if not $suffix }}
{{- $full }}
{{- else if le (add (len $full) (len $suffix) 1) 63 }}
{{- printf "%s-%s" $full $suffix }}
{{- else }}
{{- printf "%s-%s-%s" ($full | trunc (int (sub ${keep - 1} (len $suffix))) | trimSuffix "-") ($full | sha256sum | trunc 8) $suffix }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define ${h('chart')} -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The app version as a label value: characters a label cannot hold become "_", cut to 63.
*/}}
{{- define ${h('appVersionLabel')} -}}
{{- regexReplaceAll "[^-A-Za-z0-9_.]" .Chart.AppVersion "_" | trunc 63 | trimAll "-_." }}
{{- end }}

{{/*
Labels of every object.
*/}}
{{- define ${h('labels')} -}}
helm.sh/chart: {{ include ${h('chart')} . }}
{{ include ${h('selectorLabels')} . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ include ${h('appVersionLabel')} . | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels: chart name and release instance; with app.kubernetes.io/component they select one
workload's pods. Never change them once the chart is released: a workload's selector is immutable.
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
