"""EdgeSeg's gRPC API (edgeseg.v1.Studies) from Python, independent of the Java code.

Needs Debian's python3-grpcio and python3-protobuf (and numpy); no generated code: the message types come from the
compiled contract, proto/target/generated-resources/protobuf/descriptor-sets/edgeseg-v1.desc (built by Maven).

    client = EdgeSegClient("127.0.0.1:50051", "proto/target/.../edgeseg-v1.desc")
    for event in client.acquire(header, slices):        # dicts: opened / accepted / slab / final / slice_error
        ...
    delta = client.click(study_id, "liver", [(slice, row, col, True)])
"""
import grpc
import numpy as np
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

SERVICE = "/edgeseg.v1.Studies/"


class EdgeSegError(Exception):
    """A call the server refused: code is the gRPC status code name, reason the SDK's Reason."""

    def __init__(self, code, reason, message):
        super().__init__(f"{code} {reason}: {message}")
        self.code, self.reason, self.message = code, reason, message


def decode_rle(slab):
    """A MaskSlab's labels as a uint8 array [slices, rows, cols] (pairs of label byte, varint run length)."""
    out = np.empty(slab.slices * slab.rows * slab.cols, np.uint8)
    data, at, i = slab.rle, 0, 0
    while i < len(data):
        label = data[i]
        i += 1
        n, shift = 0, 0
        while True:
            b = data[i]
            i += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                break
        if n <= 0 or at + n > out.size:
            raise ValueError(f"run of {n} at {at} overruns {out.size} labels")
        out[at:at + n] = label
        at += n
    if at != out.size:
        raise ValueError(f"mask holds {at} labels, expected {out.size}")
    return out.reshape(slab.slices, slab.rows, slab.cols)


class EdgeSegClient:
    def __init__(self, target, descriptor_set, token=None):
        with open(descriptor_set, "rb") as f:
            files = descriptor_pb2.FileDescriptorSet.FromString(f.read()).file
        self._pool = descriptor_pool.DescriptorPool()
        for fd in files:
            self._pool.Add(fd)
        self._types = {}
        self._channel = grpc.insecure_channel(target, options=[("grpc.max_receive_message_length", 64 << 20)])
        self._metadata = [("authorization", "Bearer " + token)] if token else None

        def unary(name, reply):
            return self._channel.unary_unary(SERVICE + name, request_serializer=lambda m: m.SerializeToString(),
                                             response_deserializer=self.type(reply).FromString)
        self._acquire = self._channel.stream_stream(SERVICE + "Acquire",
                                                    request_serializer=lambda m: m.SerializeToString(),
                                                    response_deserializer=self.type("AcquireEvent").FromString)
        self._click = unary("Click", "MaskDelta")
        self._undo = unary("Undo", "MaskDelta")
        self._redo = unary("Redo", "MaskDelta")
        self._get_mask = unary("GetMask", "MaskSlab")
        self._close = unary("CloseStudy", "Closed")
        self._models = unary("ListModels", "ListModelsResponse")

    def type(self, name):
        """The message class of edgeseg.v1.NAME, built from the descriptor set (protobuf 3.20 .. 5)."""
        if name not in self._types:
            desc = self._pool.FindMessageTypeByName("edgeseg.v1." + name)
            if hasattr(message_factory, "GetMessageClass"):
                self._types[name] = message_factory.GetMessageClass(desc)
            else:
                self._types[name] = message_factory.MessageFactory(self._pool).GetPrototype(desc)
        return self._types[name]

    def close(self):
        self._channel.close()

    def _call(self, stub, request):
        try:
            return stub(request, metadata=self._metadata)
        except grpc.RpcError as e:
            reason, _, message = (e.details() or "").partition(": ")
            raise EdgeSegError(e.code().name, reason, message) from None

    def models(self):
        return self._call(self._models, self.type("ListModelsRequest")())

    def acquire(self, header, slices):
        """Streams one series: header (SeriesHeader fields as a dict), then slices (dicts: instance_number,
        image_position, float32 array [rows, cols] or int16 array). Yields the server's events as
        (kind, payload): ('opened', study_id), ('accepted', msg), ('progress', msg), ('slab', MaskSlab),
        ('slice_error', Error), ('final', FinalMask)."""
        Req = self.type("AcquireRequest")

        def requests():
            yield Req(header=self.type("SeriesHeader")(**header))
            for s in slices:
                px = s["pixels"]
                kw = {"instance_number": s["instance_number"], "image_position": list(s["image_position"])}
                if px.dtype == np.int16:
                    kw["int16_le"] = px.astype("<i2").tobytes()
                else:
                    kw["float32_le"] = px.astype("<f4").tobytes()
                yield Req(slice=self.type("Slice")(**kw))
            yield Req(end_of_series=self.type("EndOfSeries")())
        try:
            for e in self._acquire(requests(), metadata=self._metadata):
                kind = e.WhichOneof("event")
                if kind == "opened":
                    yield kind, e.opened.study_id
                elif kind == "final_mask":
                    yield "final", e.final_mask
                else:
                    yield kind, getattr(e, kind)
        except grpc.RpcError as err:
            reason, _, message = (err.details() or "").partition(": ")
            raise EdgeSegError(err.code().name, reason, message) from None

    def click(self, study_id, class_name, points):
        P = self.type("ClickPoint")
        req = self.type("ClickRequest")(study_id=study_id, class_name=class_name,
                                       points=[P(slice=s, row=r, col=c, positive=p) for s, r, c, p in points])
        return self._call(self._click, req)

    def undo(self, study_id):
        return self._call(self._undo, self.type("StudyRef")(study_id=study_id))

    def redo(self, study_id):
        return self._call(self._redo, self.type("StudyRef")(study_id=study_id))

    def mask(self, study_id):
        return decode_rle(self._call(self._get_mask, self.type("StudyRef")(study_id=study_id)))

    def close_study(self, study_id):
        return self._call(self._close, self.type("StudyRef")(study_id=study_id))
