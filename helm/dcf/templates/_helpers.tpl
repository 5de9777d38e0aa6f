{{/* The chart's name, at most 63 characters (a label value). */}}
{{- define "dcf.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's objects' base name: <release>-<chart> unless the release already contains the chart's name. */}}
{{- define "dcf.fullname" -}}
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

{{/* The gateway's Deployment, Service and pods: <fullname>-gateway (at most 63 characters, a DNS label). */}}
{{- define "dcf.gateway.name" -}}
{{- printf "%s-gateway" (include "dcf.fullname" . | trunc 55 | trimSuffix "-") }}
{{- end }}

{{/* The labels that select the gateway's pods; never change them (a Deployment's selector is immutable). */}}
{{- define "dcf.gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dcf.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: gateway
{{- end }}

{{/* Labels every object of the release carries. */}}
{{- define "dcf.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "dcf.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: dcf
{{- end }}

{{/* Labels of the gateway's objects: the common ones and its component. */}}
{{- define "dcf.gateway.labels" -}}
{{ include "dcf.labels" . }}
app.kubernetes.io/component: gateway
{{- end }}

{{/* The ServiceAccount the gateway runs as. */}}
{{- define "dcf.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "dcf.gateway.name" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding the gateway's token, and its key. */}}
{{- define "dcf.tokenSecretName" -}}
{{- if .Values.auth.existingSecret }}
{{- .Values.auth.existingSecret }}
{{- else }}
{{- printf "%s-token" (include "dcf.fullname" . | trunc 57 | trimSuffix "-") }}
{{- end }}
{{- end }}

{{- define "dcf.tokenSecretKey" -}}
{{- if .Values.auth.existingSecret }}
{{- .Values.auth.existingSecretKey }}
{{- else -}}
token
{{- end }}
{{- end }}

{{/* The function namespace; fails when the chart would create the namespace it is installed in. */}}
{{- define "dcf.functionNamespace" -}}
{{- $ns := .Values.functionNamespace.name }}
{{- if and .Values.functionNamespace.create (eq $ns .Release.Namespace) }}
{{- fail (printf "functionNamespace.name: '%s' is the release's own namespace, which exists already; set functionNamespace.create=false to run functions there" $ns) }}
{{- end }}
{{- $ns }}
{{- end }}

{{/* The host names the gateway answers to (dcf.gateway.allowed-hosts): its Service's DNS names and gateway.allowedHosts. */}}
{{- define "dcf.allowedHosts" -}}
{{- $svc := include "dcf.gateway.name" . }}
{{- $ns := .Release.Namespace }}
{{- $hosts := list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.%s" $svc $ns .Values.gateway.clusterDomain) }}
{{- join "," (concat $hosts .Values.gateway.allowedHosts) }}
{{- end }}

{{/* The gateway's URL scheme: https when tls.secretName is set. */}}
{{- define "dcf.scheme" -}}
{{- ternary "https" "http" (ne .Values.tls.secretName "") }}
{{- end }}

{{/* The registry's Deployment, Service and PVC: <fullname>-registry. */}}
{{- define "dcf.registry.name" -}}
{{- printf "%s-registry" (include "dcf.fullname" . | trunc 54 | trimSuffix "-") }}
{{- end }}

{{- define "dcf.registry.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dcf.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: registry
{{- end }}

{{/* The registry proxy's DaemonSet: <fullname>-registry-proxy. */}}
{{- define "dcf.registryProxy.name" -}}
{{- printf "%s-registry-proxy" (include "dcf.fullname" . | trunc 48 | trimSuffix "-") }}
{{- end }}

{{- define "dcf.registryProxy.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dcf.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: registry-proxy
{{- end }}

{{/* The proxy's upstream: registryProxy.upstream, or the chart's registry Service; fails when there is neither. */}}
{{- define "dcf.registryProxy.upstream" -}}
{{- if .Values.registryProxy.upstream }}
{{- .Values.registryProxy.upstream }}
{{- else if .Values.registry.enabled }}
{{- printf "http://%s.%s.svc.%s:%v" (include "dcf.registry.name" .) .Release.Namespace .Values.gateway.clusterDomain .Values.registry.service.port }}
{{- else }}
{{- fail "registryProxy.upstream: empty while registry.enabled is false (expected: the registry to proxy, http(s)://host[:port], or registry.enabled=true)" }}
{{- end }}
{{- end }}

{{/* build-service's Deployment, Service and ServiceAccount: <fullname>-build-service, the name the
     kaniko Role is bound to and the default context URL points at (dcf.kaniko.name). */}}
{{- define "dcf.buildService.name" -}}
{{- include "dcf.kaniko.name" . }}
{{- end }}

{{/* The labels that select build-service's pods; never change them. */}}
{{- define "dcf.buildService.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dcf.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: build-service
{{- end }}

{{- define "dcf.buildService.labels" -}}
{{ include "dcf.labels" . }}
app.kubernetes.io/component: build-service
{{- end }}
