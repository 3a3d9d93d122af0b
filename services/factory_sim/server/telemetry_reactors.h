// The two telemetry streams of factory-sim as callback-API reactors:
//   StreamTelemetry — server streaming, levers fixed at the start;
//   LiveRun         — bidirectional, levers changed mid-run by the client.
//
// Each reactor owns its run (paced_run.h); a request's levers and each lever
// change are converted to model types once (proto_convert.h). Paced runs are driven by a
// grpc::Alarm (one per tick, never blocking a reaction); one write is in flight at a time and ticks
// a slow client cannot take are coalesced (tick_outbox.h). Unpaced runs (tick_interval_ms = 0)
// compute the next tick in OnWriteDone of the previous one, so they go as fast as the client reads
// and deliver every tick in order. Every RPC is finished exactly once: OK when the run completes
// and the last tick is written, CANCELLED when the client goes away, INVALID_ARGUMENT / NOT_FOUND
// for a bad start. A reactor deletes itself only after gRPC's OnDone *and* its last alarm callback.
//
// Thread-safety: internal (one mutex per reactor).
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_TELEMETRY_REACTORS_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_TELEMETRY_REACTORS_H_

#include <grpcpp/grpcpp.h>

#include "datafactory/factory/v1/factory_sim.pb.h"

namespace df::factory {

class FactorySimService;

grpc::ServerWriteReactor<::datafactory::factory::v1::TelemetryTick>* NewTelemetryStream(
    FactorySimService* service, const ::datafactory::factory::v1::StreamTelemetryRequest& request);

grpc::ServerBidiReactor<::datafactory::factory::v1::LiveRunRequest,
                        ::datafactory::factory::v1::TelemetryTick>*
NewLiveRun(FactorySimService* service);

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_TELEMETRY_REACTORS_H_
