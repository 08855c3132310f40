//! The field tables of the Go structs behind Pods and Nodes (`k8s.io/api/core/v1` and
//! `k8s.io/apimachinery/pkg/apis/meta/v1`), as compact data.
//!
//! Each struct is a list of fields with its JSON name, whether the tag says `omitempty`,
//! the field's kind and its strategic-merge strategy. The typed encoding (`typed`) and the
//! strategic merge patch (`strategic`) both walk these tables. Fields are listed in the
//! order Go declares them. Inlined structs (`json:",inline"`) are fields with an empty name.

/// What a field holds, as far as its JSON encoding and patching are concerned.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    Str,
    Int,
    Bool,
    Float,
    /// `metav1.Time`: RFC 3339 to the second; the zero time encodes as `null`.
    Time,
    /// `resource.Quantity`, a struct encoded as its canonical string.
    Quantity,
    /// `intstr.IntOrString`, a struct encoded as a number or a string.
    IntOrString,
    /// A value kept exactly as given (`runtime.RawExtension`, `FieldsV1`, or a subtree
    /// whose table is not written out).
    Raw,
    Struct(&'static [Field]),
    Ptr(&'static Kind),
    Slice(&'static Kind),
    Map(&'static Kind),
}

/// The `patchStrategy` struct tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Lists are replaced whole, maps are merged.
    Default,
    /// `patchStrategy:"merge"`: lists of objects merge by this key; an empty key merges a
    /// list of scalars as a set.
    Merge(&'static str),
    /// `patchStrategy:"merge,retainKeys"`.
    MergeRetainKeys(&'static str),
    /// `patchStrategy:"replace"`.
    Replace,
}

#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The JSON name; empty for an inlined struct.
    pub json: &'static str,
    pub omitempty: bool,
    pub kind: Kind,
    pub strategy: Strategy,
}

impl Field {
    const fn merge(self, key: &'static str) -> Field {
        Field {
            strategy: Strategy::Merge(key),
            ..self
        }
    }

    const fn retain_keys(self, key: &'static str) -> Field {
        Field {
            strategy: Strategy::MergeRetainKeys(key),
            ..self
        }
    }

    pub fn is_inline(&self) -> bool {
        self.json.is_empty()
    }
}

/// A field tagged `omitempty`.
const fn o(json: &'static str, kind: Kind) -> Field {
    Field {
        json,
        omitempty: true,
        kind,
        strategy: Strategy::Default,
    }
}

/// A field without `omitempty`: always encoded.
const fn r(json: &'static str, kind: Kind) -> Field {
    Field {
        json,
        omitempty: false,
        kind,
        strategy: Strategy::Default,
    }
}

/// An inlined struct.
const fn inline(fields: &'static [Field]) -> Field {
    Field {
        json: "",
        omitempty: false,
        kind: Kind::Struct(fields),
        strategy: Strategy::Default,
    }
}

/// Finds the field with JSON name `name`, looking through inlined structs.
pub fn lookup(fields: &'static [Field], name: &str) -> Option<&'static Field> {
    for field in fields {
        if field.is_inline() {
            if let Kind::Struct(inner) = field.kind
                && let Some(found) = lookup(inner, name)
            {
                return Some(found);
            }
        } else if field.json == name {
            return Some(field);
        }
    }
    None
}

const S: Kind = Kind::Str;
const I: Kind = Kind::Int;
const B: Kind = Kind::Bool;
const T: Kind = Kind::Time;
const Q: Kind = Kind::Quantity;
const PS: Kind = Kind::Ptr(&S);
const PI: Kind = Kind::Ptr(&I);
const PB: Kind = Kind::Ptr(&B);
const PT: Kind = Kind::Ptr(&T);
const SS: Kind = Kind::Slice(&S);
const SI: Kind = Kind::Slice(&I);
const MS: Kind = Kind::Map(&S);
const RESOURCE_LIST: Kind = Kind::Map(&Q);

const fn st(fields: &'static [Field]) -> Kind {
    Kind::Struct(fields)
}

// ---- meta/v1 ----

pub const OWNER_REFERENCE: &[Field] = &[
    r("apiVersion", S),
    r("kind", S),
    r("name", S),
    r("uid", S),
    o("controller", PB),
    o("blockOwnerDeletion", PB),
];

const MANAGED_FIELDS_ENTRY: &[Field] = &[
    o("manager", S),
    o("operation", S),
    o("apiVersion", S),
    o("time", PT),
    o("fieldsType", S),
    o("fieldsV1", Kind::Ptr(&Kind::Raw)),
    o("subresource", S),
];

pub const OBJECT_META: &[Field] = &[
    o("name", S),
    o("generateName", S),
    o("namespace", S),
    o("selfLink", S),
    o("uid", S),
    o("resourceVersion", S),
    o("generation", I),
    o("creationTimestamp", T),
    o("deletionTimestamp", PT),
    o("deletionGracePeriodSeconds", PI),
    o("labels", MS),
    o("annotations", MS),
    o("ownerReferences", Kind::Slice(&st(OWNER_REFERENCE))).merge("uid"),
    o("finalizers", SS).merge(""),
    o("managedFields", Kind::Slice(&st(MANAGED_FIELDS_ENTRY))),
];

const LABEL_SELECTOR_REQUIREMENT: &[Field] = &[r("key", S), r("operator", S), o("values", SS)];

const LABEL_SELECTOR: &[Field] = &[
    o("matchLabels", MS),
    o(
        "matchExpressions",
        Kind::Slice(&st(LABEL_SELECTOR_REQUIREMENT)),
    ),
];

const TYPE_META: &[Field] = &[o("kind", S), o("apiVersion", S)];

// ---- containers ----

const CONTAINER_PORT: &[Field] = &[
    o("name", S),
    o("hostPort", I),
    r("containerPort", I),
    o("protocol", S),
    o("hostIP", S),
];

const OBJECT_FIELD_SELECTOR: &[Field] = &[o("apiVersion", S), r("fieldPath", S)];

const RESOURCE_FIELD_SELECTOR: &[Field] =
    &[o("containerName", S), r("resource", S), o("divisor", Q)];

const KEY_SELECTOR: &[Field] = &[o("name", S), r("key", S), o("optional", PB)];

const FILE_KEY_SELECTOR: &[Field] = &[
    r("volumeName", S),
    r("path", S),
    r("key", S),
    o("optional", PB),
];

const ENV_VAR_SOURCE: &[Field] = &[
    o("fieldRef", Kind::Ptr(&st(OBJECT_FIELD_SELECTOR))),
    o("resourceFieldRef", Kind::Ptr(&st(RESOURCE_FIELD_SELECTOR))),
    o("configMapKeyRef", Kind::Ptr(&st(KEY_SELECTOR))),
    o("secretKeyRef", Kind::Ptr(&st(KEY_SELECTOR))),
    o("fileKeyRef", Kind::Ptr(&st(FILE_KEY_SELECTOR))),
];

const ENV_VAR: &[Field] = &[
    r("name", S),
    o("value", S),
    o("valueFrom", Kind::Ptr(&st(ENV_VAR_SOURCE))),
];

const ENV_SOURCE_REF: &[Field] = &[o("name", S), o("optional", PB)];

const ENV_FROM_SOURCE: &[Field] = &[
    o("prefix", S),
    o("configMapRef", Kind::Ptr(&st(ENV_SOURCE_REF))),
    o("secretRef", Kind::Ptr(&st(ENV_SOURCE_REF))),
];

const RESOURCE_CLAIM: &[Field] = &[r("name", S), o("request", S)];

pub const RESOURCE_REQUIREMENTS: &[Field] = &[
    o("limits", RESOURCE_LIST),
    o("requests", RESOURCE_LIST),
    o("claims", Kind::Slice(&st(RESOURCE_CLAIM))),
];

const CONTAINER_RESIZE_POLICY: &[Field] = &[r("resourceName", S), r("restartPolicy", S)];

const EXIT_CODES: &[Field] = &[o("operator", S), o("values", SI)];

const CONTAINER_RESTART_RULE: &[Field] =
    &[o("action", S), o("exitCodes", Kind::Ptr(&st(EXIT_CODES)))];

const VOLUME_MOUNT: &[Field] = &[
    r("name", S),
    o("readOnly", B),
    o("recursiveReadOnly", PS),
    r("mountPath", S),
    o("subPath", S),
    o("mountPropagation", PS),
    o("subPathExpr", S),
];

const VOLUME_DEVICE: &[Field] = &[r("name", S), r("devicePath", S)];

const HTTP_HEADER: &[Field] = &[r("name", S), r("value", S)];

const EXEC_ACTION: &[Field] = &[o("command", SS)];

const HTTP_GET_ACTION: &[Field] = &[
    o("path", S),
    r("port", Kind::IntOrString),
    o("host", S),
    o("scheme", S),
    o("httpHeaders", Kind::Slice(&st(HTTP_HEADER))),
];

const TCP_SOCKET_ACTION: &[Field] = &[r("port", Kind::IntOrString), o("host", S)];

const GRPC_ACTION: &[Field] = &[r("port", I), r("service", PS)];

const SLEEP_ACTION: &[Field] = &[r("seconds", I)];

const PROBE_HANDLER: &[Field] = &[
    o("exec", Kind::Ptr(&st(EXEC_ACTION))),
    o("httpGet", Kind::Ptr(&st(HTTP_GET_ACTION))),
    o("tcpSocket", Kind::Ptr(&st(TCP_SOCKET_ACTION))),
    o("grpc", Kind::Ptr(&st(GRPC_ACTION))),
];

const PROBE: &[Field] = &[
    inline(PROBE_HANDLER),
    o("initialDelaySeconds", I),
    o("timeoutSeconds", I),
    o("periodSeconds", I),
    o("successThreshold", I),
    o("failureThreshold", I),
    o("terminationGracePeriodSeconds", PI),
];

const LIFECYCLE_HANDLER: &[Field] = &[
    o("exec", Kind::Ptr(&st(EXEC_ACTION))),
    o("httpGet", Kind::Ptr(&st(HTTP_GET_ACTION))),
    o("tcpSocket", Kind::Ptr(&st(TCP_SOCKET_ACTION))),
    o("sleep", Kind::Ptr(&st(SLEEP_ACTION))),
];

const LIFECYCLE: &[Field] = &[
    o("postStart", Kind::Ptr(&st(LIFECYCLE_HANDLER))),
    o("preStop", Kind::Ptr(&st(LIFECYCLE_HANDLER))),
    o("stopSignal", PS),
];

const CAPABILITIES: &[Field] = &[o("add", SS), o("drop", SS)];

const SE_LINUX_OPTIONS: &[Field] = &[o("user", S), o("role", S), o("type", S), o("level", S)];

const WINDOWS_OPTIONS: &[Field] = &[
    o("gmsaCredentialSpecName", PS),
    o("gmsaCredentialSpec", PS),
    o("runAsUserName", PS),
    o("hostProcess", PB),
];

const PROFILE: &[Field] = &[r("type", S), o("localhostProfile", PS)];

const SECURITY_CONTEXT: &[Field] = &[
    o("capabilities", Kind::Ptr(&st(CAPABILITIES))),
    o("privileged", PB),
    o("seLinuxOptions", Kind::Ptr(&st(SE_LINUX_OPTIONS))),
    o("windowsOptions", Kind::Ptr(&st(WINDOWS_OPTIONS))),
    o("runAsUser", PI),
    o("runAsGroup", PI),
    o("runAsNonRoot", PB),
    o("readOnlyRootFilesystem", PB),
    o("allowPrivilegeEscalation", PB),
    o("procMount", PS),
    o("seccompProfile", Kind::Ptr(&st(PROFILE))),
    o("appArmorProfile", Kind::Ptr(&st(PROFILE))),
];

pub const CONTAINER: &[Field] = &[
    r("name", S),
    o("image", S),
    o("command", SS),
    o("args", SS),
    o("workingDir", S),
    o("ports", Kind::Slice(&st(CONTAINER_PORT))).merge("containerPort"),
    o("envFrom", Kind::Slice(&st(ENV_FROM_SOURCE))),
    o("env", Kind::Slice(&st(ENV_VAR))).merge("name"),
    o("resources", st(RESOURCE_REQUIREMENTS)),
    o("resizePolicy", Kind::Slice(&st(CONTAINER_RESIZE_POLICY))),
    o("restartPolicy", PS),
    o(
        "restartPolicyRules",
        Kind::Slice(&st(CONTAINER_RESTART_RULE)),
    ),
    o("volumeMounts", Kind::Slice(&st(VOLUME_MOUNT))).merge("mountPath"),
    o("volumeDevices", Kind::Slice(&st(VOLUME_DEVICE))).merge("devicePath"),
    o("livenessProbe", Kind::Ptr(&st(PROBE))),
    o("readinessProbe", Kind::Ptr(&st(PROBE))),
    o("startupProbe", Kind::Ptr(&st(PROBE))),
    o("lifecycle", Kind::Ptr(&st(LIFECYCLE))),
    o("terminationMessagePath", S),
    o("terminationMessagePolicy", S),
    o("imagePullPolicy", S),
    o("securityContext", Kind::Ptr(&st(SECURITY_CONTEXT))),
    o("stdin", B),
    o("stdinOnce", B),
    o("tty", B),
];

const EPHEMERAL_CONTAINER: &[Field] = &[inline(CONTAINER), o("targetContainerName", S)];

// ---- pod spec ----

// ---- volumes ----

const KEY_TO_PATH: &[Field] = &[r("key", S), r("path", S), o("mode", PI)];

const HOST_PATH_VOLUME_SOURCE: &[Field] = &[r("path", S), o("type", PS)];

const EMPTY_DIR_VOLUME_SOURCE: &[Field] = &[o("medium", S), o("sizeLimit", Kind::Ptr(&Q))];

const GCE_PERSISTENT_DISK_VOLUME_SOURCE: &[Field] = &[
    r("pdName", S),
    o("fsType", S),
    o("partition", I),
    o("readOnly", B),
];

const AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE: &[Field] = &[
    r("volumeID", S),
    o("fsType", S),
    o("partition", I),
    o("readOnly", B),
];

const GIT_REPO_VOLUME_SOURCE: &[Field] = &[r("repository", S), o("revision", S), o("directory", S)];

const SECRET_VOLUME_SOURCE: &[Field] = &[
    o("secretName", S),
    o("items", Kind::Slice(&st(KEY_TO_PATH))),
    o("defaultMode", PI),
    o("optional", PB),
];

const NFS_VOLUME_SOURCE: &[Field] = &[r("server", S), r("path", S), o("readOnly", B)];

const ISCSI_VOLUME_SOURCE: &[Field] = &[
    r("targetPortal", S),
    r("iqn", S),
    r("lun", I),
    o("iscsiInterface", S),
    o("fsType", S),
    o("readOnly", B),
    o("portals", SS),
    o("chapAuthDiscovery", B),
    o("chapAuthSession", B),
    o("secretRef", Kind::Ptr(&st(LOCAL_OBJECT_REFERENCE))),
    o("initiatorName", PS),
];

const GLUSTERFS_VOLUME_SOURCE: &[Field] = &[r("endpoints", S), r("path", S), o("readOnly", B)];

const PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE: &[Field] = &[r("claimName", S), o("readOnly", B)];

const RBD_VOLUME_SOURCE: &[Field] = &[
    r("monitors", SS),
    r("image", S),
    o("fsType", S),
    o("pool", S),
    o("user", S),
    o("keyring", S),
    o("secretRef", Kind::Ptr(&st(LOCAL_OBJECT_REFERENCE))),
    o("readOnly", B),
];

const FLEX_VOLUME_SOURCE: &[Field] = &[
    r("driver", S),
    o("fsType", S),
    o("secretRef", Kind::Ptr(&st(LOCAL_OBJECT_REFERENCE))),
    o("readOnly", B),
    o("options", MS),
];

const CINDER_VOLUME_SOURCE: &[Field] = &[
    r("volumeID", S),
    o("fsType", S),
    o("readOnly", B),
    o("secretRef", Kind::Ptr(&st(LOCAL_OBJECT_REFERENCE))),
];

const CEPH_FS_VOLUME_SOURCE: &[Field] = &[
    r("monitors", SS),
    o("path", S),
    o("user", S),
    o("secretFile", S),
    o("secretRef", Kind::Ptr(&st(LOCAL_OBJECT_REFERENCE))),
    o("readOnly", B),
];

const FLOCKER_VOLUME_SOURCE: &[Field] = &[o("datasetName", S), o("datasetUUID", S)];

const DOWNWARD_API_VOLUME_FILE: &[Field] = &[
    r("path", S),
    o("fieldRef", Kind::Ptr(&st(OBJECT_FIELD_SELECTOR))),
    o("resourceFieldRef", Kind::Ptr(&st(RESOURCE_FIELD_SELECTOR))),
    o("mode", PI),
];

const DOWNWARD_API_VOLUME_SOURCE: &[Field] = &[
    o("items", Kind::Slice(&st(DOWNWARD_API_VOLUME_FILE))),
    o("defaultMode", PI),
];

const FC_VOLUME_SOURCE: &[Field] = &[
    o("targetWWNs", SS),
    o("lun", PI),
    o("fsType", S),
    o("readOnly", B),
    o("wwids", SS),
];

const AZURE_FILE_VOLUME_SOURCE: &[Field] =
    &[r("secretName", S), r("shareName", S), o("readOnly", B)];

const CONFIG_MAP_VOLUME_SOURCE: &[Field] = &[
    inline(LOCAL_OBJECT_REFERENCE),
    o("items", Kind::Slice(&st(KEY_TO_PATH))),
    o("defaultMode", PI),
    o("optional", PB),
];

const VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE: &[Field] = &[
    r("volumePath", S),
    o("fsType", S),
    o("storagePolicyName", S),
    o("storagePolicyID", S),
];

const QUOBYTE_VOLUME_SOURCE: &[Field] = &[
    r("registry", S),
    r("volume", S),
    o("readOnly", B),
    o("user", S),
    o("group", S),
    o("tenant", S),
];

const AZURE_DISK_VOLUME_SOURCE: &[Field] = &[
    r("diskName", S),
    r("diskURI", S),
    o("cachingMode", PS),
    o("fsType", PS),
    o("readOnly", PB),
    o("kind", PS),
];

const PHOTON_PERSISTENT_DISK_VOLUME_SOURCE: &[Field] = &[r("pdID", S), o("fsType", S)];

const SECRET_PROJECTION: &[Field] = &[
    inline(LOCAL_OBJECT_REFERENCE),
    o("items", Kind::Slice(&st(KEY_TO_PATH))),
    o("optional", PB),
];

const DOWNWARD_API_PROJECTION: &[Field] = &[o("items", Kind::Slice(&st(DOWNWARD_API_VOLUME_FILE)))];

const CONFIG_MAP_PROJECTION: &[Field] = &[
    inline(LOCAL_OBJECT_REFERENCE),
    o("items", Kind::Slice(&st(KEY_TO_PATH))),
    o("optional", PB),
];

const SERVICE_ACCOUNT_TOKEN_PROJECTION: &[Field] =
    &[o("audience", S), o("expirationSeconds", PI), r("path", S)];

const CLUSTER_TRUST_BUNDLE_PROJECTION: &[Field] = &[
    o("name", PS),
    o("signerName", PS),
    o("labelSelector", Kind::Ptr(&st(LABEL_SELECTOR))),
    o("optional", PB),
    r("path", S),
];

const POD_CERTIFICATE_PROJECTION: &[Field] = &[
    o("signerName", S),
    o("keyType", S),
    o("maxExpirationSeconds", PI),
    o("credentialBundlePath", S),
    o("keyPath", S),
    o("certificateChainPath", S),
    o("userAnnotations", MS),
];

const VOLUME_PROJECTION: &[Field] = &[
    o("secret", Kind::Ptr(&st(SECRET_PROJECTION))),
    o("downwardAPI", Kind::Ptr(&st(DOWNWARD_API_PROJECTION))),
    o("configMap", Kind::Ptr(&st(CONFIG_MAP_PROJECTION))),
    o(
        "serviceAccountToken",
        Kind::Ptr(&st(SERVICE_ACCOUNT_TOKEN_PROJECTION)),
    ),
    o(
        "clusterTrustBundle",
        Kind::Ptr(&st(CLUSTER_TRUST_BUNDLE_PROJECTION)),
    ),
    o("podCertificate", Kind::Ptr(&st(POD_CERTIFICATE_PROJECTION))),
];

const PROJECTED_VOLUME_SOURCE: &[Field] = &[
    r("sources", Kind::Slice(&st(VOLUME_PROJECTION))),
    o("defaultMode", PI),
];

const PORTWORX_VOLUME_SOURCE: &[Field] = &[r("volumeID", S), o("fsType", S), o("readOnly", B)];

const SCALE_IO_VOLUME_SOURCE: &[Field] = &[
    r("gateway", S),
    r("system", S),
    r("secretRef", Kind::Ptr(&st(LOCAL_OBJECT_REFERENCE))),
    o("sslEnabled", B),
    o("protectionDomain", S),
    o("storagePool", S),
    o("storageMode", S),
    o("volumeName", S),
    o("fsType", S),
    o("readOnly", B),
];

const STORAGE_OS_VOLUME_SOURCE: &[Field] = &[
    o("volumeName", S),
    o("volumeNamespace", S),
    o("fsType", S),
    o("readOnly", B),
    o("secretRef", Kind::Ptr(&st(LOCAL_OBJECT_REFERENCE))),
];

const CSI_VOLUME_SOURCE: &[Field] = &[
    r("driver", S),
    o("readOnly", PB),
    o("fsType", PS),
    o("volumeAttributes", MS),
    o(
        "nodePublishSecretRef",
        Kind::Ptr(&st(LOCAL_OBJECT_REFERENCE)),
    ),
];

const VOLUME_RESOURCE_REQUIREMENTS: &[Field] =
    &[o("limits", RESOURCE_LIST), o("requests", RESOURCE_LIST)];

const TYPED_LOCAL_OBJECT_REFERENCE: &[Field] = &[r("apiGroup", PS), r("kind", S), r("name", S)];

const TYPED_OBJECT_REFERENCE: &[Field] = &[
    r("apiGroup", PS),
    r("kind", S),
    r("name", S),
    o("namespace", PS),
];

const PERSISTENT_VOLUME_CLAIM_SPEC: &[Field] = &[
    o("accessModes", SS),
    o("selector", Kind::Ptr(&st(LABEL_SELECTOR))),
    o("resources", st(VOLUME_RESOURCE_REQUIREMENTS)),
    o("volumeName", S),
    o("storageClassName", PS),
    o("volumeMode", PS),
    o("dataSource", Kind::Ptr(&st(TYPED_LOCAL_OBJECT_REFERENCE))),
    o("dataSourceRef", Kind::Ptr(&st(TYPED_OBJECT_REFERENCE))),
    o("volumeAttributesClassName", PS),
];

const PERSISTENT_VOLUME_CLAIM_TEMPLATE: &[Field] = &[
    o("metadata", st(OBJECT_META)),
    r("spec", st(PERSISTENT_VOLUME_CLAIM_SPEC)),
];

const EPHEMERAL_VOLUME_SOURCE: &[Field] = &[o(
    "volumeClaimTemplate",
    Kind::Ptr(&st(PERSISTENT_VOLUME_CLAIM_TEMPLATE)),
)];

const IMAGE_VOLUME_SOURCE: &[Field] = &[o("reference", S), o("pullPolicy", S)];

const VOLUME_SOURCE: &[Field] = &[
    o("hostPath", Kind::Ptr(&st(HOST_PATH_VOLUME_SOURCE))),
    o("emptyDir", Kind::Ptr(&st(EMPTY_DIR_VOLUME_SOURCE))),
    o(
        "gcePersistentDisk",
        Kind::Ptr(&st(GCE_PERSISTENT_DISK_VOLUME_SOURCE)),
    ),
    o(
        "awsElasticBlockStore",
        Kind::Ptr(&st(AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE)),
    ),
    o("gitRepo", Kind::Ptr(&st(GIT_REPO_VOLUME_SOURCE))),
    o("secret", Kind::Ptr(&st(SECRET_VOLUME_SOURCE))),
    o("nfs", Kind::Ptr(&st(NFS_VOLUME_SOURCE))),
    o("iscsi", Kind::Ptr(&st(ISCSI_VOLUME_SOURCE))),
    o("glusterfs", Kind::Ptr(&st(GLUSTERFS_VOLUME_SOURCE))),
    o(
        "persistentVolumeClaim",
        Kind::Ptr(&st(PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE)),
    ),
    o("rbd", Kind::Ptr(&st(RBD_VOLUME_SOURCE))),
    o("flexVolume", Kind::Ptr(&st(FLEX_VOLUME_SOURCE))),
    o("cinder", Kind::Ptr(&st(CINDER_VOLUME_SOURCE))),
    o("cephfs", Kind::Ptr(&st(CEPH_FS_VOLUME_SOURCE))),
    o("flocker", Kind::Ptr(&st(FLOCKER_VOLUME_SOURCE))),
    o("downwardAPI", Kind::Ptr(&st(DOWNWARD_API_VOLUME_SOURCE))),
    o("fc", Kind::Ptr(&st(FC_VOLUME_SOURCE))),
    o("azureFile", Kind::Ptr(&st(AZURE_FILE_VOLUME_SOURCE))),
    o("configMap", Kind::Ptr(&st(CONFIG_MAP_VOLUME_SOURCE))),
    o(
        "vsphereVolume",
        Kind::Ptr(&st(VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE)),
    ),
    o("quobyte", Kind::Ptr(&st(QUOBYTE_VOLUME_SOURCE))),
    o("azureDisk", Kind::Ptr(&st(AZURE_DISK_VOLUME_SOURCE))),
    o(
        "photonPersistentDisk",
        Kind::Ptr(&st(PHOTON_PERSISTENT_DISK_VOLUME_SOURCE)),
    ),
    o("projected", Kind::Ptr(&st(PROJECTED_VOLUME_SOURCE))),
    o("portworxVolume", Kind::Ptr(&st(PORTWORX_VOLUME_SOURCE))),
    o("scaleIO", Kind::Ptr(&st(SCALE_IO_VOLUME_SOURCE))),
    o("storageos", Kind::Ptr(&st(STORAGE_OS_VOLUME_SOURCE))),
    o("csi", Kind::Ptr(&st(CSI_VOLUME_SOURCE))),
    o("ephemeral", Kind::Ptr(&st(EPHEMERAL_VOLUME_SOURCE))),
    o("image", Kind::Ptr(&st(IMAGE_VOLUME_SOURCE))),
];

const VOLUME: &[Field] = &[r("name", S), inline(VOLUME_SOURCE)];

// ---- scheduling ----

const NODE_SELECTOR_REQUIREMENT: &[Field] = &[r("key", S), r("operator", S), o("values", SS)];

const NODE_SELECTOR_TERM: &[Field] = &[
    o(
        "matchExpressions",
        Kind::Slice(&st(NODE_SELECTOR_REQUIREMENT)),
    ),
    o("matchFields", Kind::Slice(&st(NODE_SELECTOR_REQUIREMENT))),
];

const NODE_SELECTOR: &[Field] = &[r("nodeSelectorTerms", Kind::Slice(&st(NODE_SELECTOR_TERM)))];

const PREFERRED_SCHEDULING_TERM: &[Field] =
    &[r("weight", I), r("preference", st(NODE_SELECTOR_TERM))];

const NODE_AFFINITY: &[Field] = &[
    o(
        "requiredDuringSchedulingIgnoredDuringExecution",
        Kind::Ptr(&st(NODE_SELECTOR)),
    ),
    o(
        "preferredDuringSchedulingIgnoredDuringExecution",
        Kind::Slice(&st(PREFERRED_SCHEDULING_TERM)),
    ),
];

const POD_AFFINITY_TERM: &[Field] = &[
    o("labelSelector", Kind::Ptr(&st(LABEL_SELECTOR))),
    o("namespaces", SS),
    r("topologyKey", S),
    o("namespaceSelector", Kind::Ptr(&st(LABEL_SELECTOR))),
    o("matchLabelKeys", SS),
    o("mismatchLabelKeys", SS),
];

const WEIGHTED_POD_AFFINITY_TERM: &[Field] =
    &[r("weight", I), r("podAffinityTerm", st(POD_AFFINITY_TERM))];

const POD_AFFINITY: &[Field] = &[
    o(
        "requiredDuringSchedulingIgnoredDuringExecution",
        Kind::Slice(&st(POD_AFFINITY_TERM)),
    ),
    o(
        "preferredDuringSchedulingIgnoredDuringExecution",
        Kind::Slice(&st(WEIGHTED_POD_AFFINITY_TERM)),
    ),
];

const AFFINITY: &[Field] = &[
    o("nodeAffinity", Kind::Ptr(&st(NODE_AFFINITY))),
    o("podAffinity", Kind::Ptr(&st(POD_AFFINITY))),
    o("podAntiAffinity", Kind::Ptr(&st(POD_AFFINITY))),
];

const TOLERATION: &[Field] = &[
    o("key", S),
    o("operator", S),
    o("value", S),
    o("effect", S),
    o("tolerationSeconds", PI),
];

const HOST_ALIAS: &[Field] = &[r("ip", S), o("hostnames", SS)];

const SYSCTL: &[Field] = &[r("name", S), r("value", S)];

const POD_SECURITY_CONTEXT: &[Field] = &[
    o("seLinuxOptions", Kind::Ptr(&st(SE_LINUX_OPTIONS))),
    o("windowsOptions", Kind::Ptr(&st(WINDOWS_OPTIONS))),
    o("runAsUser", PI),
    o("runAsGroup", PI),
    o("runAsNonRoot", PB),
    o("supplementalGroups", SI),
    o("supplementalGroupsPolicy", PS),
    o("fsGroup", PI),
    o("sysctls", Kind::Slice(&st(SYSCTL))),
    o("fsGroupChangePolicy", PS),
    o("seccompProfile", Kind::Ptr(&st(PROFILE))),
    o("appArmorProfile", Kind::Ptr(&st(PROFILE))),
    o("seLinuxChangePolicy", PS),
];

const LOCAL_OBJECT_REFERENCE: &[Field] = &[o("name", S)];

const POD_DNS_CONFIG_OPTION: &[Field] = &[o("name", S), o("value", PS)];

const POD_DNS_CONFIG: &[Field] = &[
    o("nameservers", SS),
    o("searches", SS),
    o("options", Kind::Slice(&st(POD_DNS_CONFIG_OPTION))),
];

const POD_READINESS_GATE: &[Field] = &[r("conditionType", S)];

const TOPOLOGY_SPREAD_CONSTRAINT: &[Field] = &[
    r("maxSkew", I),
    r("topologyKey", S),
    r("whenUnsatisfiable", S),
    o("labelSelector", Kind::Ptr(&st(LABEL_SELECTOR))),
    o("minDomains", PI),
    o("nodeAffinityPolicy", PS),
    o("nodeTaintsPolicy", PS),
    o("matchLabelKeys", SS),
];

const POD_OS: &[Field] = &[r("name", S)];

const POD_SCHEDULING_GATE: &[Field] = &[r("name", S)];

const POD_RESOURCE_CLAIM: &[Field] = &[
    r("name", S),
    o("resourceClaimName", PS),
    o("resourceClaimTemplateName", PS),
];

const WORKLOAD_REFERENCE: &[Field] = &[r("name", S), r("podGroup", S), o("podGroupReplicaKey", S)];

pub const POD_SPEC: &[Field] = &[
    o("volumes", Kind::Slice(&st(VOLUME))).retain_keys("name"),
    o("initContainers", Kind::Slice(&st(CONTAINER))).merge("name"),
    r("containers", Kind::Slice(&st(CONTAINER))).merge("name"),
    o("ephemeralContainers", Kind::Slice(&st(EPHEMERAL_CONTAINER))).merge("name"),
    o("restartPolicy", S),
    o("terminationGracePeriodSeconds", PI),
    o("activeDeadlineSeconds", PI),
    o("dnsPolicy", S),
    o("nodeSelector", MS),
    o("serviceAccountName", S),
    o("serviceAccount", S),
    o("automountServiceAccountToken", PB),
    o("nodeName", S),
    o("hostNetwork", B),
    o("hostPID", B),
    o("hostIPC", B),
    o("shareProcessNamespace", PB),
    o("securityContext", Kind::Ptr(&st(POD_SECURITY_CONTEXT))),
    o("imagePullSecrets", Kind::Slice(&st(LOCAL_OBJECT_REFERENCE))).merge("name"),
    o("hostname", S),
    o("subdomain", S),
    o("affinity", Kind::Ptr(&st(AFFINITY))),
    o("schedulerName", S),
    o("tolerations", Kind::Slice(&st(TOLERATION))),
    o("hostAliases", Kind::Slice(&st(HOST_ALIAS))).merge("ip"),
    o("priorityClassName", S),
    o("priority", PI),
    o("dnsConfig", Kind::Ptr(&st(POD_DNS_CONFIG))),
    o("readinessGates", Kind::Slice(&st(POD_READINESS_GATE))),
    o("runtimeClassName", PS),
    o("enableServiceLinks", PB),
    o("preemptionPolicy", PS),
    o("overhead", RESOURCE_LIST),
    o(
        "topologySpreadConstraints",
        Kind::Slice(&st(TOPOLOGY_SPREAD_CONSTRAINT)),
    )
    .merge("topologyKey"),
    o("setHostnameAsFQDN", PB),
    o("os", Kind::Ptr(&st(POD_OS))),
    o("hostUsers", PB),
    o("schedulingGates", Kind::Slice(&st(POD_SCHEDULING_GATE))).merge("name"),
    o("resourceClaims", Kind::Slice(&st(POD_RESOURCE_CLAIM))).retain_keys("name"),
    o("resources", Kind::Ptr(&st(RESOURCE_REQUIREMENTS))),
    o("hostnameOverride", PS),
    o("workloadRef", Kind::Ptr(&st(WORKLOAD_REFERENCE))),
];

// ---- pod status ----

const POD_CONDITION: &[Field] = &[
    r("type", S),
    o("observedGeneration", I),
    r("status", S),
    o("lastProbeTime", T),
    o("lastTransitionTime", T),
    o("reason", S),
    o("message", S),
];

const CONTAINER_STATE_WAITING: &[Field] = &[o("reason", S), o("message", S)];

const CONTAINER_STATE_RUNNING: &[Field] = &[o("startedAt", T)];

const CONTAINER_STATE_TERMINATED: &[Field] = &[
    r("exitCode", I),
    o("signal", I),
    o("reason", S),
    o("message", S),
    o("startedAt", T),
    o("finishedAt", T),
    o("containerID", S),
];

const CONTAINER_STATE: &[Field] = &[
    o("waiting", Kind::Ptr(&st(CONTAINER_STATE_WAITING))),
    o("running", Kind::Ptr(&st(CONTAINER_STATE_RUNNING))),
    o("terminated", Kind::Ptr(&st(CONTAINER_STATE_TERMINATED))),
];

const IMAGE_VOLUME_STATUS: &[Field] = &[o("imageRef", S)];

const VOLUME_STATUS: &[Field] = &[o("image", Kind::Ptr(&st(IMAGE_VOLUME_STATUS)))];

const VOLUME_MOUNT_STATUS: &[Field] = &[
    r("name", S),
    r("mountPath", S),
    o("readOnly", B),
    o("recursiveReadOnly", PS),
    inline(VOLUME_STATUS),
];

const LINUX_CONTAINER_USER: &[Field] = &[r("uid", I), r("gid", I), o("supplementalGroups", SI)];

const CONTAINER_USER: &[Field] = &[o("linux", Kind::Ptr(&st(LINUX_CONTAINER_USER)))];

const RESOURCE_HEALTH: &[Field] = &[r("resourceID", S), o("health", S)];

const RESOURCE_STATUS: &[Field] = &[
    r("name", S),
    o("resources", Kind::Slice(&st(RESOURCE_HEALTH))),
];

pub const CONTAINER_STATUS: &[Field] = &[
    r("name", S),
    o("state", st(CONTAINER_STATE)),
    o("lastState", st(CONTAINER_STATE)),
    r("ready", B),
    r("restartCount", I),
    r("image", S),
    r("imageID", S),
    o("containerID", S),
    o("started", PB),
    o("allocatedResources", RESOURCE_LIST),
    o("resources", Kind::Ptr(&st(RESOURCE_REQUIREMENTS))),
    o("volumeMounts", Kind::Slice(&st(VOLUME_MOUNT_STATUS))).merge("mountPath"),
    o("user", Kind::Ptr(&st(CONTAINER_USER))),
    o(
        "allocatedResourcesStatus",
        Kind::Slice(&st(RESOURCE_STATUS)),
    )
    .merge("name"),
    o("stopSignal", PS),
];

const IP: &[Field] = &[r("ip", S)];

const POD_RESOURCE_CLAIM_STATUS: &[Field] = &[r("name", S), o("resourceClaimName", PS)];

const CONTAINER_EXTENDED_RESOURCE_REQUEST: &[Field] = &[
    r("containerName", S),
    r("resourceName", S),
    r("requestName", S),
];

const POD_EXTENDED_RESOURCE_CLAIM_STATUS: &[Field] = &[
    r(
        "requestMappings",
        Kind::Slice(&st(CONTAINER_EXTENDED_RESOURCE_REQUEST)),
    ),
    r("resourceClaimName", S),
];

pub const POD_STATUS: &[Field] = &[
    o("observedGeneration", I),
    o("phase", S),
    o("conditions", Kind::Slice(&st(POD_CONDITION))).merge("type"),
    o("message", S),
    o("reason", S),
    o("nominatedNodeName", S),
    o("hostIP", S),
    o("hostIPs", Kind::Slice(&st(IP))).merge("ip"),
    o("podIP", S),
    o("podIPs", Kind::Slice(&st(IP))).merge("ip"),
    o("startTime", PT),
    o("initContainerStatuses", Kind::Slice(&st(CONTAINER_STATUS))),
    o("containerStatuses", Kind::Slice(&st(CONTAINER_STATUS))),
    o("qosClass", S),
    o(
        "ephemeralContainerStatuses",
        Kind::Slice(&st(CONTAINER_STATUS)),
    ),
    o("resize", S),
    o(
        "resourceClaimStatuses",
        Kind::Slice(&st(POD_RESOURCE_CLAIM_STATUS)),
    )
    .retain_keys("name"),
    o(
        "extendedResourceClaimStatus",
        Kind::Ptr(&st(POD_EXTENDED_RESOURCE_CLAIM_STATUS)),
    ),
    o("allocatedResources", RESOURCE_LIST),
    o("resources", Kind::Ptr(&st(RESOURCE_REQUIREMENTS))),
];

pub const POD: &[Field] = &[
    inline(TYPE_META),
    o("metadata", st(OBJECT_META)),
    o("spec", st(POD_SPEC)),
    o("status", st(POD_STATUS)),
];

// ---- node ----

const TAINT: &[Field] = &[
    r("key", S),
    o("value", S),
    r("effect", S),
    o("timeAdded", PT),
];

const CONFIG_MAP_NODE_CONFIG_SOURCE: &[Field] = &[
    r("namespace", S),
    r("name", S),
    o("uid", S),
    o("resourceVersion", S),
    r("kubeletConfigKey", S),
];

const NODE_CONFIG_SOURCE: &[Field] = &[o(
    "configMap",
    Kind::Ptr(&st(CONFIG_MAP_NODE_CONFIG_SOURCE)),
)];

pub const NODE_SPEC: &[Field] = &[
    o("podCIDR", S),
    o("podCIDRs", SS).merge(""),
    o("providerID", S),
    o("unschedulable", B),
    o("taints", Kind::Slice(&st(TAINT))),
    o("configSource", Kind::Ptr(&st(NODE_CONFIG_SOURCE))),
    o("externalID", S),
];

const NODE_CONDITION: &[Field] = &[
    r("type", S),
    r("status", S),
    o("lastHeartbeatTime", T),
    o("lastTransitionTime", T),
    o("reason", S),
    o("message", S),
];

const NODE_ADDRESS: &[Field] = &[r("type", S), r("address", S)];

const DAEMON_ENDPOINT: &[Field] = &[r("Port", I)];

const NODE_DAEMON_ENDPOINTS: &[Field] = &[o("kubeletEndpoint", st(DAEMON_ENDPOINT))];

const NODE_SWAP_STATUS: &[Field] = &[o("capacity", PI)];

const NODE_SYSTEM_INFO: &[Field] = &[
    r("machineID", S),
    r("systemUUID", S),
    r("bootID", S),
    r("kernelVersion", S),
    r("osImage", S),
    r("containerRuntimeVersion", S),
    r("kubeletVersion", S),
    r("kubeProxyVersion", S),
    r("operatingSystem", S),
    r("architecture", S),
    o("swap", Kind::Ptr(&st(NODE_SWAP_STATUS))),
];

const CONTAINER_IMAGE: &[Field] = &[r("names", SS), o("sizeBytes", I)];

const ATTACHED_VOLUME: &[Field] = &[r("name", S), r("devicePath", S)];

const NODE_CONFIG_STATUS: &[Field] = &[
    o("assigned", Kind::Ptr(&st(NODE_CONFIG_SOURCE))),
    o("active", Kind::Ptr(&st(NODE_CONFIG_SOURCE))),
    o("lastKnownGood", Kind::Ptr(&st(NODE_CONFIG_SOURCE))),
    o("error", S),
];

const NODE_RUNTIME_HANDLER_FEATURES: &[Field] =
    &[o("recursiveReadOnlyMounts", PB), o("userNamespaces", PB)];

const NODE_RUNTIME_HANDLER: &[Field] = &[
    r("name", S),
    o("features", Kind::Ptr(&st(NODE_RUNTIME_HANDLER_FEATURES))),
];

const NODE_FEATURES: &[Field] = &[o("supplementalGroupsPolicy", PB)];

pub const NODE_STATUS: &[Field] = &[
    o("capacity", RESOURCE_LIST),
    o("allocatable", RESOURCE_LIST),
    o("phase", S),
    o("conditions", Kind::Slice(&st(NODE_CONDITION))).merge("type"),
    o("addresses", Kind::Slice(&st(NODE_ADDRESS))).merge("type"),
    o("daemonEndpoints", st(NODE_DAEMON_ENDPOINTS)),
    o("nodeInfo", st(NODE_SYSTEM_INFO)),
    o("images", Kind::Slice(&st(CONTAINER_IMAGE))),
    o("volumesInUse", SS),
    o("volumesAttached", Kind::Slice(&st(ATTACHED_VOLUME))),
    o("config", Kind::Ptr(&st(NODE_CONFIG_STATUS))),
    o("runtimeHandlers", Kind::Slice(&st(NODE_RUNTIME_HANDLER))),
    o("features", Kind::Ptr(&st(NODE_FEATURES))),
    o("declaredFeatures", SS),
];

pub const NODE: &[Field] = &[
    inline(TYPE_META),
    o("metadata", st(OBJECT_META)),
    o("spec", st(NODE_SPEC)),
    o("status", st(NODE_STATUS)),
];
