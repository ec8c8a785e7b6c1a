package com.edgeseg.engine;

import com.edgeseg.io.npy.Python;
import java.nio.file.Path;

/** Hand-made ONNX models for engine tests, written with the {@code onnx} python package. */
public final class TinyModels {
    private TinyModels() {}

    /**
     * {@code scaled = x * y + x} for x, y float32 [2, "N"], and {@code next = ids + 1} for ids int64 ["B"].
     */
    public static Path twoOutputs(Path dir) throws Exception {
        Python.run(dir, """
                import onnx
                from onnx import helper, TensorProto as T
                g = helper.make_graph(
                    [helper.make_node('Mul', ['x', 'y'], ['xy']),
                     helper.make_node('Add', ['xy', 'x'], ['scaled']),
                     helper.make_node('Add', ['ids', 'one'], ['next'])],
                    'tiny',
                    [helper.make_tensor_value_info('x', T.FLOAT, [2, 'N']),
                     helper.make_tensor_value_info('y', T.FLOAT, [2, 'N']),
                     helper.make_tensor_value_info('ids', T.INT64, ['B'])],
                    [helper.make_tensor_value_info('scaled', T.FLOAT, [2, 'N']),
                     helper.make_tensor_value_info('next', T.INT64, ['B'])],
                    [helper.make_tensor('one', T.INT64, [1], [1])])
                m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 17)])
                m.ir_version = 8
                onnx.checker.check_model(m)
                onnx.save(m, 'tiny.onnx')
                """);
        return dir.resolve("tiny.onnx");
    }
}
