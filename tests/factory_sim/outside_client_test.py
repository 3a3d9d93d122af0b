#!/usr/bin/python3
"""factory-sim as an outside developer meets it: a Python client generated from the proto
alone (no repository code but the test harness), against the real binary on 127.0.0.1.

Each case is something the proto's comments promise: the guided acts and prediction checks,
Act III's per-city results with ECDFs a front end can plot (checked against scipy), alpha
flipping a verdict, the drift badge "not evaluated" for personas without a camera, rationale
length in characters and its grade, NOT_FOUND for an unknown session's trail, the short lever
names in the unknown-lever error, the standing consequences on the first tick, and a refused
LiveRun change carried on a tick with its google.rpc.Code.

usage: outside_client_test.py PATH/TO/factory-sim PYTHON_STUBS_DIR
"""
import os
import pathlib
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "harness"))
import processes  # noqa: E402

SIM = None
pb = pb_grpc = grpc = None


class OutsideClient(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.TemporaryDirectory()
        cls.procs = processes.Processes(log_dir=cls.work.name)
        try:
            target = processes.start_service(
                cls.procs, "factory-sim", SIM,
                "--audit_dir=" + os.path.join(cls.work.name, "audit")).grpc_target
        except processes.HarnessError:
            cls.tearDownClass()
            raise
        cls.channel = grpc.insecure_channel(target)
        cls.stub = pb_grpc.FactorySimStub(cls.channel)

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "channel", None):
            cls.channel.close()
        cls.procs.close()
        cls.work.cleanup()

    def evaluate(self, scenario, *settings):
        request = pb.EvaluateRequest(selection=pb.LeverSelection(scenario=scenario,
                                                                 set=list(settings)))
        return self.stub.Evaluate(request, timeout=10).report

    def assert_code(self, call, code, text=None):
        with self.assertRaises(grpc.RpcError) as caught:
            call()
        self.assertEqual(caught.exception.code(), code, caught.exception.details())
        if text is not None:
            self.assertIn(text, caught.exception.details())
        return caught.exception

    def test_guided_acts_and_prediction_checks(self):
        acts = self.stub.ListActs(pb.ListActsRequest(), timeout=10).acts
        self.assertEqual([a.id for a in acts], ["act1", "act2", "act3"])
        for act in acts:
            self.assertTrue(act.scenario and act.crisis and act.task and act.reflection)
            self.assertTrue(act.reveal)
            for p in act.predictions:
                self.assertIn(p.tolerance_kind, (pb.TOLERANCE_KIND_ABSOLUTE,
                                                 pb.TOLERANCE_KIND_RELATIVE))
        fiber = next(p for p in acts[0].predictions if p.id == "fiber_days")
        self.assertAlmostEqual(fiber.accepted_answer, 115.74, places=2)
        right = self.stub.CheckPrediction(pb.CheckPredictionRequest(
            act="act1", prediction_id="fiber_days", answer=116, session_id="outside-p"),
            timeout=10)
        self.assertTrue(right.correct)
        self.assertEqual(right.entry.prediction.prediction_id, "fiber_days")
        wrong = self.stub.CheckPrediction(pb.CheckPredictionRequest(
            act="act1", prediction_id="fiber_days", answer=92.6), timeout=10)
        self.assertFalse(wrong.correct)
        self.assertIn("accepted: 115.7 days", wrong.message)
        self.assert_code(lambda: self.stub.CheckPrediction(pb.CheckPredictionRequest(
            act="act4", prediction_id="x", answer=1), timeout=10), grpc.StatusCode.NOT_FOUND)
        trail = self.stub.GetAuditTrail(pb.GetAuditTrailRequest(session_id="outside-p"),
                                        timeout=10)
        self.assertEqual(trail.entries[0].prediction.answer, 116)

    def test_act_three_reports_each_city_with_ecdfs_scipy_agrees_with(self):
        from scipy import stats
        drift = self.evaluate("act3").drift
        self.assertTrue(drift.evaluated)
        self.assertEqual(drift.tests, 4)
        self.assertAlmostEqual(drift.per_test_alpha, 0.0025)
        self.assertEqual([(c.city, c.firmware_updated) for c in drift.cities],
                         [("Lakewood", True), ("Fairview", False)])
        for city in drift.cities:
            test = city.tests[city.decisive_test]
            self.assertEqual((test.n_reference, test.n_current), (200, 50))
            ref, cur = list(city.ecdf.reference), list(city.ecdf.current)
            self.assertEqual(ref, sorted(ref))
            result = stats.ks_2samp(ref, cur)
            self.assertAlmostEqual(result.statistic, test.ks_statistic, places=12)
            self.assertAlmostEqual(result.pvalue, test.p_value, delta=1e-9 + 1e-6 * test.p_value)
            gap = abs(city.ecdf.reference_cdf_at_d - city.ecdf.current_cdf_at_d)
            self.assertAlmostEqual(gap, test.ks_statistic, places=12)
            self.assertEqual(test.rejected, test.p_value <= drift.per_test_alpha)
        self.assertEqual([c.detected for c in drift.cities], [True, False])

    def test_alpha_flips_lakewoods_verdict(self):
        verdicts = {alpha: self.evaluate("act3", "alpha=%g" % alpha).drift.cities[0].detected
                    for alpha in (1e-12, 1e-6, 1e-3, 1e-2, 0.1, 0.5)}
        self.assertEqual(verdicts, {1e-12: False, 1e-6: False, 1e-3: False, 1e-2: True,
                                    0.1: True, 0.5: True})

    def test_the_drift_badge_is_not_evaluated_without_a_camera(self):
        report = self.evaluate("act2")
        badge = next(b for b in report.badges if b.id == "no_drift")
        self.assertTrue(badge.not_evaluated)
        self.assertFalse(report.drift.evaluated)
        self.assertFalse(next(b for b in self.evaluate("act3").badges
                              if b.id == "no_drift").not_evaluated)
        card = next(c for c in report.ledger if c.id == "data_entropy")
        self.assertEqual(card.title, "Unique Data")
        self.assertEqual(len(report.money.tiers), 7)
        self.assertGreater(report.money.idle_gpu_dollars_per_epoch, 4)

    def test_rationale_length_is_counted_in_characters_and_the_text_is_graded(self):
        rationale = lambda text: self.stub.SubmitRationale(pb.SubmitRationaleRequest(
            session_id="outside-r", text=text,
            selection=pb.LeverSelection(scenario="act2_nvme")), timeout=10)
        self.assertEqual(len(("é" * 4000).encode()), 8000)
        stored = rationale("é" * 4000)  # 4,000 characters, 8,000 bytes: allowed
        self.assertFalse(stored.entry.rationale.grade.accepted)
        self.assert_code(lambda: rationale("é" * 4001), grpc.StatusCode.INVALID_ARGUMENT,
                         "characters (Unicode code points), got 4001")
        grade = rationale("x").entry.rationale.grade
        self.assertEqual(grade.verdict, pb.RATIONALE_VERDICT_FIGURES_MISSING)
        grade = rationale("supply 16 GB/s ≥ demand 1.9 GB/s, GPU idle 0 %").entry.rationale.grade
        self.assertEqual(grade.verdict, pb.RATIONALE_VERDICT_ACCEPTED, grade.summary)
        self.assertEqual([c.name for c in grade.checks],
                         ["supply", "demand", "gpu_idle", "gpu_hunger_target"])

    def test_an_unknown_sessions_trail_is_not_found(self):
        self.assert_code(lambda: self.stub.GetAuditTrail(
            pb.GetAuditTrailRequest(session_id="nobody-here"), timeout=10),
            grpc.StatusCode.NOT_FOUND, "nobody-here")

    def test_the_unknown_lever_error_lists_the_short_names(self):
        error = self.assert_code(lambda: self.evaluate("act2", "warp=9"),
                                 grpc.StatusCode.INVALID_ARGUMENT)
        for listed in ("storage_tier [tier]", "dedup_fraction [dedup]", "drift_alpha [alpha]",
                       "link_rate_bits_per_s [link_rate]", "firmware_severity [severity]"):
            self.assertIn(listed, error.details())

    def test_the_first_tick_carries_the_standing_consequences(self):
        request = pb.StreamTelemetryRequest(selection=pb.LeverSelection(scenario="act2"),
                                            pace=pb.RunPace(tick_interval_ms=0, epochs=1))
        first = next(iter(self.stub.StreamTelemetry(request, timeout=30)))
        self.assertIn("gpu_starved", [c.code for c in first.consequences])

    def test_a_refused_live_change_arrives_on_a_tick_with_its_code(self):
        start = pb.LiveRunRequest(start=pb.StreamTelemetryRequest(
            selection=pb.LeverSelection(scenario="act2"),
            pace=pb.RunPace(tick_interval_ms=5, epochs=1)))
        change = pb.LiveRunRequest(change=pb.LeverChange(set=["dedup=90%"]))
        ticks = list(self.stub.LiveRun(iter([start, change]), timeout=60))
        rejected = [r for t in ticks for r in t.rejected_changes]
        self.assertEqual(len(rejected), 1)
        self.assertEqual(rejected[0].code, grpc.StatusCode.INVALID_ARGUMENT.value[0])
        self.assertIn("dedup_fraction", rejected[0].message)
        self.assertEqual(list(rejected[0].set), ["dedup=90%"])
        self.assertTrue(ticks[-1].run_complete)  # the call went on to the end

    def test_the_catalogue_names_the_measurement_behind_act_three(self):
        figures = {f.id: f for f in self.stub.GetFigureCatalogue(
            pb.GetFigureCatalogueRequest(), timeout=10).figures}
        self.assertAlmostEqual(figures["wb_ln_gain_g_over_b_sd"].value, 0.01545)
        self.assertIn("wb-gain-spread", figures["wb_ln_gain_g_over_b_sd"].source)
        self.assertEqual(figures["resnet50_flops_per_image"].value, 24.6e9)


if __name__ == "__main__":
    SIM, stubs = sys.argv[1], sys.argv[2]
    sys.path.insert(0, stubs)
    import grpc  # noqa: E402,F811
    from datafactory.factory.v1 import factory_sim_pb2 as pb  # noqa: E402,F811
    from datafactory.factory.v1 import factory_sim_pb2_grpc as pb_grpc  # noqa: E402,F811
    unittest.main(argv=sys.argv[:1], verbosity=2)
