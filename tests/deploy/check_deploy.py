#!/usr/bin/python3
"""Consistency of the Dockerfile, docker-compose.yml and Kubernetes manifests of deploy/,
checked without a Docker engine or a cluster:

  check_deploy.py REPO_ROOT BUILD_DIR [--promtool P] [--binary NAME=PATH ...]

- every YAML file parses; the Dockerfile copies the binaries from where CMake puts them
  and exposes the services' ports; its runtime packages provide every shared library the
  real binaries link (objdump + dpkg);
- every flag given to a binary (compose commands, k8s args, k8s flag files) is one the
  binary accepts (`--helpfull`), listen addresses are 0.0.0.0 on the ports that are
  published, probed, annotated for Prometheus and targeted by Services and feeders;
- lab-gateway listens on 0.0.0.0:8080 (published, probed on /healthz) and targets the
  services' gRPC ports by their compose or Kubernetes Service names;
- compose mounts only files that exist, at the paths the Prometheus and Grafana configs
  read; the Prometheus targets are compose services on their metrics ports;
- k8s selectors, ConfigMap keys, PDBs and the HPA point at what exists; factory-sim
  replicas share one audit store: a Redis Service whose server keeps an fsync'd
  append-only log (a single factory-sim may keep SQLite on a volume); the Kubernetes
  Prometheus config passes promtool (its pod discovery swapped for a static target,
  since Debian's Prometheus is built without Kubernetes discovery);
- transport security: a service listening beyond loopback serves TLS with a token, and
  its /metrics asks for basic authentication; every secret a flag or a scrape config
  reads is a compose secret / a mounted k8s Secret key from kustomize's secretGenerator;
  the kubelet probes the plaintext health-only port; metrics ports are published on the
  host's loopback only; deploy/scripts/make-secrets.sh makes every file those name, with
  a server certificate valid for every name the clients dial.
"""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import yaml

ARGS = None
# In every debian:bookworm-slim image (zlib1g because dpkg pre-depends on it).
BASE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g"}
DEFAULT_PORTS = {"factory-sim": (50051, 9451), "drift-monitor": (50061, 9461)}
GATEWAY, GATEWAY_PORT = "lab-gateway", 8080
# lab-gateway's flag naming each backend -> the service it must target.
GATEWAY_BACKENDS = {"factory_sim": "factory-sim", "drift_monitor": "drift-monitor"}
IMAGE = "data-factory:latest"


def deploy():
    return ARGS.root / "deploy"


def load_all(path):
    return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]


def flags_of(argv):
    """{flag: value} of an argv list ('--name=value' or bare '--name')."""
    out = {}
    for a in argv:
        m = re.fullmatch(r"--([A-Za-z_][\w.]*)(?:=(.*))?", a, re.S)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def host_port(addr):
    host, _, port = addr.rpartition(":")
    return host, int(port)


_help_cache = {}


def accepted_flags(binary):
    if binary not in ARGS.binaries:
        return None
    if binary not in _help_cache:
        r = subprocess.run([ARGS.binaries[binary], "--helpfull"], capture_output=True,
                           text=True, timeout=30)
        _help_cache[binary] = set(re.findall(r"^\s+--([A-Za-z_]\w*)", r.stdout + r.stderr,
                                             re.M))
    return _help_cache[binary]


class Case(unittest.TestCase):
    def assert_flags_accepted(self, binary, flags, where):
        known = accepted_flags(binary)
        if known is None:
            return
        self.assertTrue(known, f"{binary} --helpfull listed no flags")
        unknown = set(flags) - known
        self.assertFalse(unknown, f"{where}: {binary} does not accept --{sorted(unknown)}")

    def assert_gateway_flags(self, flags, where):
        self.assert_flags_accepted(GATEWAY, flags, where)
        self.assertEqual(flags.get("http_address"), f"0.0.0.0:{GATEWAY_PORT}", where)
        for flag, service in GATEWAY_BACKENDS.items():
            self.assertEqual(flags.get(flag), f"{service}:{DEFAULT_PORTS[service][0]}", where)

    def assert_listen_addresses(self, binary, flags, where):
        grpc_port, metrics_port = DEFAULT_PORTS[binary]
        self.assertEqual(flags.get("grpc_address"), f"0.0.0.0:{grpc_port}", where)
        self.assertEqual(flags.get("metrics_address"), f"0.0.0.0:{metrics_port}", where)


    def assert_secured(self, binary, flags, where):
        """Beyond loopback: TLS, a token on state-changing calls, /metrics behind basic
        authentication. Returns the secret files the flags read."""
        for flag in ("tls_cert", "tls_key", "token_file", "metrics_basic_auth_file"):
            self.assertTrue(flags.get(flag), f"{where}: {binary} needs --{flag}")
        return {flags[f] for f in ("tls_cert", "tls_key", "token_file",
                                   "metrics_basic_auth_file", "tls_client_ca") if flags.get(f)}


SECRET_FILES = ("ca.pem", "server.pem", "server.key", "client.pem", "client.key", "token",
                "metrics-user", "metrics-password", "metrics-auth")


class YamlFiles(Case):
    def test_every_yaml_file_of_deploy_parses(self):
        files = sorted(deploy().rglob("*.yml")) + sorted(deploy().rglob("*.yaml"))
        self.assertGreater(len(files), 10)
        for f in files:
            with self.subTest(file=str(f.relative_to(ARGS.root))):
                self.assertTrue(load_all(f))


class Dockerfile(Case):
    @classmethod
    def setUpClass(cls):
        cls.text = (deploy() / "Dockerfile").read_text()
        cls.joined = re.sub(r"\\\n", " ", cls.text)

    def test_bookworm_stages_and_the_release_preset(self):
        froms = re.findall(r"^FROM\s+(\S+)", self.text, re.M)
        self.assertEqual(len(froms), 2, "a build and a runtime stage")
        self.assertTrue(all(f.startswith("debian:bookworm") for f in froms), froms)
        self.assertIn("deploy/scripts/install-deps.sh", self.joined)
        self.assertTrue((ARGS.root / "deploy/scripts/install-deps.sh").exists())
        self.assertRegex(self.joined, r"cmake --preset release")

    def test_binaries_are_copied_from_where_cmake_builds_them(self):
        copied = set(re.findall(r"build/release/(\S+)", self.joined))
        self.assertEqual({pathlib.Path(c).name for c in copied},
                         {"drift-monitor", "factory-sim", GATEWAY, "camera-feeder",
                          "factory-cli", "driftctl"})
        for name, path in ARGS.binaries.items():
            rel = pathlib.Path(path).resolve().relative_to(ARGS.build.resolve())
            self.assertIn(str(rel), copied, f"{name} is built at {rel}")

    def test_exposed_ports_are_the_service_ports(self):
        exposed = {int(p) for line in re.findall(r"^EXPOSE\s+(.*)$", self.text, re.M)
                   for p in line.split()}
        self.assertEqual(exposed, {p for pair in DEFAULT_PORTS.values() for p in pair}
                         | {GATEWAY_PORT})
        cmd = re.search(r'^CMD\s+(\[.*\])', self.text, re.M).group(1)
        argv = yaml.safe_load(cmd)
        self.assert_listen_addresses(argv[0], flags_of(argv), "Dockerfile CMD")
        self.assert_flags_accepted(argv[0], flags_of(argv), "Dockerfile CMD")

    def test_runtime_packages_provide_every_linked_library(self):
        runtime = self.joined.split("AS runtime", 1)[1]
        install = re.search(r"apt-get install ([^&]*)", runtime).group(1)
        packages = {w for w in install.split() if not w.startswith("-")} | BASE_PACKAGES
        if not ARGS.binaries:
            self.skipTest("no built binaries given")
        if ARGS.sanitized:
            # The image is built with the release preset; a sanitizer build links the
            # sanitizer runtimes and, without --as-needed, every transitive library.
            # The release run of the same suite checks the real link set.
            self.skipTest("sanitized build: its link set is not the image's")
        ldcache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
        owners = {}
        for name, path in ARGS.binaries.items():
            needed = re.findall(r"NEEDED\s+(\S+)", subprocess.run(
                ["objdump", "-p", path], capture_output=True, text=True, check=True).stdout)
            for lib in needed:
                m = re.search(rf"^\s+{re.escape(lib)} \(.*?\) => (\S+)$", ldcache, re.M)
                self.assertIsNotNone(m, f"{name}: {lib} not in the linker cache")
                if lib not in owners:
                    real = str(pathlib.Path(m.group(1)).resolve())
                    owner = subprocess.run(["dpkg", "-S", real], capture_output=True, text=True)
                    if owner.returncode != 0:
                        owner = subprocess.run(["dpkg", "-S", m.group(1)], capture_output=True,
                                               text=True)
                    owners[lib] = owner.stdout.split(":")[0]
                pkg = owners[lib]
                self.assertIn(pkg, packages, f"{name} links {lib} from {pkg}")


class Compose(Case):
    @classmethod
    def setUpClass(cls):
        cls.doc = yaml.safe_load((deploy() / "docker-compose.yml").read_text())
        cls.services = cls.doc["services"]
        cls.dockerfile = (deploy() / "Dockerfile").read_text()

    def ours(self):
        return {n: s for n, s in self.services.items() if s.get("image") == IMAGE}

    def test_our_services_build_the_dockerfile(self):
        self.assertGreaterEqual(len(self.ours()), 3)
        for name, s in self.ours().items():
            ctx = (deploy() / s["build"]["context"]).resolve()
            self.assertEqual(ctx, ARGS.root.resolve(), name)
            self.assertTrue((ctx / s["build"]["dockerfile"]).exists(), name)

    def test_service_commands_flags_and_ports(self):
        for name in DEFAULT_PORTS:
            s = self.services[name]
            flags = flags_of(s["command"])
            self.assertEqual(s["command"][0], name)
            self.assert_listen_addresses(name, flags, f"compose {name}")
            self.assert_flags_accepted(name, flags, f"compose {name}")
            published = {p.split(":")[-1] for p in s["ports"]}
            self.assertEqual(published, {str(p) for p in DEFAULT_PORTS[name]}, name)
            probe = " ".join(s["healthcheck"]["test"])
            self.assertIn(f"/{DEFAULT_PORTS[name][0]}", probe, f"{name} healthcheck port")

    def test_gateway_serves_the_page_and_targets_both_services(self):
        s = self.services[GATEWAY]
        self.assertEqual(s.get("image"), IMAGE)
        self.assertEqual(s["command"][0], GATEWAY)
        self.assert_gateway_flags(flags_of(s["command"]), f"compose {GATEWAY}")
        self.assertEqual({p.split(":")[-1] for p in s["ports"]}, {str(GATEWAY_PORT)})
        self.assertEqual(set(s["depends_on"]), set(GATEWAY_BACKENDS.values()))
        self.assertIn(f"/{GATEWAY_PORT}", " ".join(s["healthcheck"]["test"]))

    def assert_compose_secrets(self, name, paths):
        declared = self.doc["secrets"]
        for path in paths:
            self.assertTrue(path.startswith("/run/secrets/"), f"{name}: {path}")
            secret = path[len("/run/secrets/"):]
            self.assertIn(secret, self.services[name].get("secrets", []), f"{name}: {secret}")
            self.assertIn(secret, declared, f"{name}: {secret} is not a compose secret")
            self.assertEqual(declared[secret]["file"], f"./secrets/{secret}")
            self.assertIn(secret, SECRET_FILES, "deploy/scripts/make-secrets.sh makes it")

    def test_services_serve_tls_tokens_and_metrics_auth_from_secrets(self):
        for name in DEFAULT_PORTS:
            s = self.services[name]
            flags = flags_of(s["command"])
            self.assert_compose_secrets(name, self.assert_secured(name, flags, f"compose {name}"))
            metrics_port = DEFAULT_PORTS[name][1]
            self.assertIn(f"127.0.0.1:{metrics_port}:{metrics_port}", s["ports"],
                          f"{name}: plaintext /metrics published on the host's loopback only")
        for name, s in self.ours().items():
            if s["command"][0] not in ("camera-feeder", GATEWAY):
                continue
            flags = flags_of(s["command"])
            self.assertTrue(flags.get("tls_ca") and flags.get("token_file"), name)
            self.assert_compose_secrets(name, {flags["tls_ca"], flags["token_file"]})

    def test_prometheus_scrapes_with_basic_auth_from_a_secret(self):
        prom = self.services["prometheus"]
        cfg = yaml.safe_load((deploy() / "prometheus/prometheus.compose.yml").read_text())
        for job in cfg["scrape_configs"]:
            auth = job["basic_auth"]
            self.assertEqual(auth["username"], "prometheus")
            secret = auth["password_file"][len("/run/secrets/"):]
            self.assertIn(secret, prom["secrets"], job["job_name"])
            self.assertEqual(self.doc["secrets"][secret]["file"], f"./secrets/{secret}")

    def test_feeders_target_the_monitor_and_play_the_image_video(self):
        video = re.search(r"COPY --from=build \S+vtest.avi (\S+)", self.dockerfile).group(1)
        feeders = {n: s for n, s in self.ours().items() if s["command"][0] == "camera-feeder"}
        self.assertGreaterEqual(len(feeders), 3)
        cities = {}
        for name, s in feeders.items():
            flags = flags_of(s["command"])
            self.assert_flags_accepted("camera-feeder", flags, f"compose {name}")
            self.assertEqual(flags["target"], f"drift-monitor:{DEFAULT_PORTS['drift-monitor'][0]}")
            self.assertEqual(flags["video"], video, name)
            self.assertIn("drift-monitor", s["depends_on"])
            city = dict(kv.split("=") for kv in flags.get("labels", "").split(",") if kv)
            cities.setdefault(city.get("city"), []).append("wb_shift_at" in flags)
        # CityStreamsDrifting needs three drifting streams in one city
        self.assertTrue(any(sum(v) >= 3 for v in cities.values()), cities)

    def test_mounted_files_exist_where_the_configs_read_them(self):
        mounts = {}
        for name, s in self.services.items():
            for v in s.get("volumes", []):
                src, dst = v.split(":")[:2]
                if src.startswith("."):
                    self.assertTrue((deploy() / src).exists(), f"{name}: {src}")
                    mounts[dst] = deploy() / src
        prom = self.services["prometheus"]
        cfg_path = flags_of(prom["command"])["config.file"]
        cfg = yaml.safe_load(mounts[cfg_path].read_text())
        for rule_file in cfg["rule_files"]:
            in_container = str(pathlib.PurePosixPath(cfg_path).parent / rule_file)
            host = next(mounts[d] / in_container[len(d) + 1:] for d in mounts
                        if in_container.startswith(d + "/"))
            self.assertTrue(host.exists(), rule_file)
        jobs = {j["job_name"]: j["static_configs"][0]["targets"] for j in cfg["scrape_configs"]}
        for name, (_, metrics_port) in DEFAULT_PORTS.items():
            self.assertEqual(jobs[name], [f"{name}:{metrics_port}"])
        provider = yaml.safe_load((deploy() / "grafana/provisioning/dashboards/"
                                   "data-factory.yml").read_text())
        self.assertIn(provider["providers"][0]["options"]["path"], mounts)
        graf = self.services["grafana"]
        home = graf["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
        d = str(pathlib.PurePosixPath(home).parent)
        self.assertTrue((mounts[d] / pathlib.PurePosixPath(home).name).exists(), home)
        ds = yaml.safe_load((deploy() / "grafana/provisioning/datasources/prometheus.yml")
                            .read_text())["datasources"][0]
        self.assertEqual(ds["url"], f"http://prometheus:{prom['ports'][0].split(':')[-1]}")


class Kubernetes(Case):
    @classmethod
    def setUpClass(cls):
        cls.dir = deploy() / "k8s"
        kust = yaml.safe_load((cls.dir / "kustomization.yaml").read_text())
        cls.resources = kust["resources"]
        cls.docs = [d for f in cls.resources for d in load_all(cls.dir / f)]
        cls.by_kind = {}
        for d in cls.docs:
            cls.by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d

    def test_kustomization_lists_every_manifest(self):
        files = {f.name for f in self.dir.glob("*.yaml")} - {"kustomization.yaml",
                                                             "servicemonitor.yaml"}
        self.assertEqual(set(self.resources), files)
        for d in self.docs:
            if d["kind"] != "Namespace":
                self.assertEqual(d["metadata"]["namespace"], "data-factory", d["kind"])

    def test_deployments_flags_ports_probes_resources_annotations(self):
        deps = self.by_kind["Deployment"]
        self.assertEqual(set(deps), set(DEFAULT_PORTS) | {GATEWAY})
        for name in DEFAULT_PORTS:
            dep = deps[name]
            spec = dep["spec"]
            tmpl = spec["template"]
            for k, v in spec["selector"]["matchLabels"].items():
                self.assertEqual(tmpl["metadata"]["labels"].get(k), v, name)
            c = tmpl["spec"]["containers"][0]
            self.assertEqual(c["image"], IMAGE)
            self.assertEqual(c["args"][0], name)
            flags = flags_of(c["args"])
            self.assert_listen_addresses(name, flags, f"k8s {name}")
            self.assert_flags_accepted(name, flags, f"k8s {name}")
            grpc_port, metrics_port = DEFAULT_PORTS[name]
            ports = {p["name"]: p["containerPort"] for p in c["ports"]}
            self.assertEqual({ports["grpc"], ports["metrics"]}, {grpc_port, metrics_port})
            self.assertTrue({"cpu", "memory"} <= set(c["resources"]["requests"]), name)
            ann = tmpl["metadata"]["annotations"]
            self.assertEqual(ann["prometheus.io/scrape"], "true")
            self.assertEqual(int(ann["prometheus.io/port"]), metrics_port)
            # the job label Prometheus derives from the pod label, as the rules expect
            self.assertEqual(tmpl["metadata"]["labels"]["app.kubernetes.io/name"], name)
            self.assert_flag_file(name, flags, tmpl)

    def assert_flag_file(self, name, flags, tmpl):
        """The flag file is mounted from an existing ConfigMap key, with flags the binary
        accepts."""
        c = tmpl["spec"]["containers"][0]
        flagfile = pathlib.PurePosixPath(flags["flagfile"])
        mount = next(m for m in c["volumeMounts"] if m["mountPath"] == str(flagfile.parent))
        vol = next(v for v in tmpl["spec"]["volumes"] if v["name"] == mount["name"])
        item = next(i for i in vol["configMap"]["items"] if i["path"] == flagfile.name)
        text = self.by_kind["ConfigMap"][vol["configMap"]["name"]]["data"][item["key"]]
        self.assert_flags_accepted(name, flags_of(text.split()), f"k8s {item['key']}")

    def test_gateway_deployment_probes_and_sticky_service(self):
        tmpl = self.by_kind["Deployment"][GATEWAY]["spec"]["template"]
        c = tmpl["spec"]["containers"][0]
        self.assertEqual((c["image"], c["args"][0]), (IMAGE, GATEWAY))
        flags = flags_of(c["args"])
        self.assert_gateway_flags(flags, f"k8s {GATEWAY}")
        self.assert_flag_file(GATEWAY, flags, tmpl)
        self.assertEqual({p["name"]: p["containerPort"] for p in c["ports"]},
                         {"http": GATEWAY_PORT})
        for probe in ("readinessProbe", "livenessProbe"):
            self.assertEqual(c[probe]["httpGet"], {"path": "/healthz", "port": GATEWAY_PORT})
        for service in GATEWAY_BACKENDS.values():  # targeted by Service name and gRPC port
            ports = {p["name"]: p["port"] for p in self.by_kind["Service"][service]["spec"]["ports"]}
            self.assertEqual(ports["grpc"], DEFAULT_PORTS[service][0])
        # A page's event stream and the requests it POSTs into it must reach one replica.
        self.assertEqual(self.by_kind["Service"][GATEWAY]["spec"]["sessionAffinity"], "ClientIP")

    def workloads(self):
        return {**self.by_kind["Deployment"], **self.by_kind.get("StatefulSet", {})}

    def selected(self, selector):
        return [n for n, d in self.workloads().items() if all(
            d["spec"]["template"]["metadata"]["labels"].get(k) == v
            for k, v in selector.items())]

    def generated_secrets(self):
        """{secret name: {key: file}} of kustomization.yaml's secretGenerator."""
        kust = yaml.safe_load((self.dir / "kustomization.yaml").read_text())
        out = {}
        for gen in kust["secretGenerator"]:
            self.assertEqual(gen["namespace"], "data-factory")
            out[gen["name"]] = dict(f.split("=", 1) for f in gen["files"])
        return out

    def test_secret_generator_reads_what_make_secrets_writes(self):
        for name, keys in self.generated_secrets().items():
            for key, path in keys.items():
                self.assertTrue(path.startswith("secrets/"), f"{name}/{key}")
                self.assertIn(path[len("secrets/"):], SECRET_FILES, f"{name}/{key}")

    def assert_mounted_from_secret(self, name, path, tmpl, secrets):
        """`path` is a file of a Secret the secretGenerator makes, mounted in `tmpl`."""
        c = tmpl["containers"][0]
        p = pathlib.PurePosixPath(path)
        mount = next((m for m in c["volumeMounts"] if m["mountPath"] == str(p.parent)), None)
        self.assertIsNotNone(mount, f"{name}: nothing mounted at {p.parent}")
        vol = next(v for v in tmpl["volumes"] if v["name"] == mount["name"])
        secret = vol["secret"]["secretName"]
        self.assertIn(secret, secrets, f"{name}: {path}")
        items = {i["path"]: i["key"] for i in vol["secret"].get("items", [])}
        self.assertIn(items.get(p.name, p.name), secrets[secret], f"{name}: {path}")

    def test_gateway_reaches_the_services_over_tls_with_the_token(self):
        tmpl = self.by_kind["Deployment"][GATEWAY]["spec"]["template"]["spec"]
        flags = flags_of(tmpl["containers"][0]["args"])
        for flag in ("tls_ca", "token_file"):
            self.assertIn(flag, flags, f"k8s {GATEWAY}")
            self.assert_mounted_from_secret(GATEWAY, flags[flag], tmpl, self.generated_secrets())

    def test_deployments_serve_tls_and_probe_the_health_port(self):
        secrets = self.generated_secrets()
        for name, dep in self.by_kind["Deployment"].items():
            if name == GATEWAY:  # a client of the services (above); it serves HTTP
                continue
            tmpl = dep["spec"]["template"]["spec"]
            c = tmpl["containers"][0]
            flags = flags_of(c["args"])
            for path in self.assert_secured(name, flags, f"k8s {name}"):
                self.assert_mounted_from_secret(name, path, tmpl, secrets)
            health_host, health_port = host_port(flags["health_address"])
            self.assertEqual(health_host, "0.0.0.0")
            ports = {p["name"]: p["containerPort"] for p in c["ports"]}
            self.assertEqual(ports["health"], health_port, name)
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                if probe in c:
                    self.assertEqual(c[probe]["grpc"]["port"], health_port, f"{name} {probe}")

    def test_prometheus_and_the_service_monitor_scrape_with_basic_auth(self):
        secrets = self.generated_secrets()
        cfg = yaml.safe_load((deploy() / "prometheus/prometheus.k8s.yml").read_text())
        for job in cfg["scrape_configs"]:
            path = pathlib.PurePosixPath(job["basic_auth"]["password_file"])
            self.assertIn(path.parent.name, secrets, job["job_name"])
            self.assertIn(path.name, secrets[path.parent.name])
        monitor = yaml.safe_load((self.dir / "servicemonitor.yaml").read_text())
        for endpoint in monitor["spec"]["endpoints"]:
            for ref in endpoint["basicAuth"].values():
                self.assertIn(ref["key"], secrets[ref["name"]])

    def test_services_pdbs_and_hpa_point_at_deployments(self):
        deps = self.by_kind["Deployment"]
        workloads = self.workloads()
        selected = self.selected

        for name, svc in self.by_kind["Service"].items():
            target = selected(svc["spec"]["selector"])
            self.assertEqual(len(target), 1, name)
            c = workloads[target[0]]["spec"]["template"]["spec"]["containers"][0]
            names = {p["name"]: p["containerPort"] for p in c["ports"]}
            for p in svc["spec"]["ports"]:
                self.assertIn(p["targetPort"], names, f"{name}:{p['name']}")
                self.assertEqual(p["port"], names[p["targetPort"]], name)
        pdbs = self.by_kind["PodDisruptionBudget"]
        self.assertEqual({selected(p["spec"]["selector"]["matchLabels"])[0]
                          for p in pdbs.values()}, set(deps))
        hpa = self.by_kind["HorizontalPodAutoscaler"]["drift-monitor"]["spec"]
        self.assertEqual(hpa["scaleTargetRef"]["kind"], "Deployment")
        self.assertIn(hpa["scaleTargetRef"]["name"], deps)
        self.assertGreaterEqual(hpa["minReplicas"], 2, "one replica cannot survive a drain")
        self.assertLessEqual(
            deps["drift-monitor"]["spec"]["replicas"], hpa["maxReplicas"])

    def test_factory_sim_replicas_share_one_durable_audit_store(self):
        dep = self.by_kind["Deployment"]["factory-sim"]
        c = dep["spec"]["template"]["spec"]["containers"][0]
        flags = flags_of(c["args"])
        config = self.by_kind["ConfigMap"]["data-factory-config"]["data"]["factory-sim.flags"]
        flags.update(flags_of(config.split()))
        store = flags.get("audit_store", "")
        if dep["spec"]["replicas"] == 1:
            return  # one replica may keep SQLite, on a volume
        m = re.fullmatch(r"redis://([\w.-]+):(\d+)", store)
        self.assertIsNotNone(m, f"{dep['spec']['replicas']} factory-sim replicas need a shared "
                                f"--audit_store=redis://HOST:PORT, got {store!r}")
        host, port = m.group(1).split(".")[0], int(m.group(2))
        svc = self.by_kind["Service"][host]
        self.assertIn(port, [p["port"] for p in svc["spec"]["ports"]])
        target = self.selected(svc["spec"]["selector"])
        self.assertEqual(len(target), 1, host)
        redis = self.workloads()[target[0]]["spec"]["template"]["spec"]["containers"][0]
        argv = " ".join(redis["args"])
        self.assertEqual(redis["args"][0], "redis-server")
        # factory-sim refuses a server whose acknowledged writes are not fsync'd
        self.assertIn("--appendonly yes", argv)
        self.assertIn("--appendfsync always", argv)

    def test_k8s_prometheus_config_passes_promtool(self):
        if not ARGS.promtool:
            self.skipTest("promtool not given")
        cfg = yaml.safe_load((deploy() / "prometheus/prometheus.k8s.yml").read_text())
        for job in cfg["scrape_configs"]:
            self.assertIn("kubernetes_sd_configs", job)
            job.pop("kubernetes_sd_configs")
            job["static_configs"] = [{"targets": ["127.0.0.1:9461"]}]
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(deploy() / "prometheus/rules", pathlib.Path(tmp) / "rules")
            f = pathlib.Path(tmp) / "prometheus.yml"
            f.write_text(yaml.safe_dump(cfg))
            r = subprocess.run([ARGS.promtool, "check", "config", str(f)], capture_output=True,
                               text=True)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


class MakeSecrets(Case):
    def test_makes_every_secret_file_with_the_services_names(self):
        if not shutil.which("openssl"):
            self.skipTest("openssl is not installed")
        script = deploy() / "scripts/make-secrets.sh"
        with tempfile.TemporaryDirectory() as tmp:
            out = pathlib.Path(tmp) / "secrets"
            r = subprocess.run(["bash", str(script), str(out)], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            for f in SECRET_FILES:
                self.assertGreater((out / f).stat().st_size, 0, f)
            for f in ("server.pem", "client.pem"):
                v = subprocess.run(["openssl", "verify", "-CAfile", str(out / "ca.pem"),
                                    str(out / f)], capture_output=True, text=True)
                self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
            san = subprocess.run(["openssl", "x509", "-in", str(out / "server.pem"), "-noout",
                                  "-ext", "subjectAltName"], capture_output=True, text=True,
                                 check=True).stdout
            for host in ("factory-sim", "drift-monitor", "drift-monitor.data-factory",
                         "drift-monitor-headless.data-factory", "localhost"):
                self.assertIn(f"DNS:{host},", san + ",", host)
            self.assertEqual((out / "metrics-auth").read_text().strip(),
                             "prometheus:" + (out / "metrics-password").read_text().strip())
            before = (out / "token").read_text()
            subprocess.run(["bash", str(script), str(out)], check=True, capture_output=True)
            self.assertEqual((out / "token").read_text(), before, "a complete set is kept")


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("root", type=pathlib.Path)
    ap.add_argument("build", type=pathlib.Path)
    ap.add_argument("--promtool")
    ap.add_argument("--sanitized", action="store_true",
                    help="the binaries are an ASan/UBSan build (their link set is not "
                         "the release image's)")
    ap.add_argument("--binary", action="append", default=[], help="NAME=PATH")
    ARGS = ap.parse_args()
    ARGS.binaries = dict(b.split("=", 1) for b in ARGS.binary)
    for name, path in ARGS.binaries.items():
        if not pathlib.Path(path).exists():
            print(f"{name}: {path} is not built", file=sys.stderr)
            return 1
    r = unittest.main(argv=sys.argv[:1], exit=False, verbosity=2).result
    return 0 if r.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
