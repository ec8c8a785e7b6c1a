"""VISTA3D ``vista3d132`` written from the EdgeSeg reference spec (shared/docs/vista3d-reference.md §2, §7).

The module tree mirrors MONAI 1.4.0 so that ``state_dict()`` has exactly the 259 MONAI keys and shapes and a MONAI
checkpoint loads with ``strict=True``.  Only the inference paths are implemented (no ``patch_coords`` / window merge,
no training samplers).

Besides the MONAI-style ``forward`` the sub-modules expose the pieces the ONNX engines are cut from:
``image_encoder.encode`` (skip features), ``image_encoder.decode_point`` / ``decode_auto`` (the two decoders),
``class_head.embed`` / ``class_head.logits_from_features`` and ``point_head.logits_from_tokens``.
"""
from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

NINF_VALUE = -9999.0
LAST_SUPPORTED = 132
N_CLASSES = 512
MAX_PROMPT = 32
BLOCKS_DOWN = (1, 2, 2, 4, 4)


def conv3(cin, cout, stride=1, bias=False):
    return nn.Conv3d(cin, cout, kernel_size=3, stride=stride, padding=1, bias=bias)


# ----------------------------------------------------------------------------------------------- encoder / decoders
class SegResBlock(nn.Module):
    """Pre-activation residual block: x + conv2(relu(norm2(conv1(relu(norm1(x))))))."""

    def __init__(self, c):
        super().__init__()
        # stored order in MONAI: norm1, conv1, norm2, conv2 (kept for identical state_dict ordering)
        self.norm1 = nn.InstanceNorm3d(c, affine=True, eps=1e-5)
        self.conv1 = conv3(c, c)
        self.norm2 = nn.InstanceNorm3d(c, affine=True, eps=1e-5)
        self.conv2 = conv3(c, c)

    def forward(self, x):
        y = self.conv1(F.relu(self.norm1(x)))
        y = self.conv2(F.relu(self.norm2(y)))
        return y + x


class Deconv(nn.Module):
    """Holder so the key reads ``upsample.deconv.weight`` like MONAI's UpSample(mode='deconv')."""

    def __init__(self, cin, cout):
        super().__init__()
        self.deconv = nn.ConvTranspose3d(cin, cout, kernel_size=3, stride=2, padding=1, output_padding=1, bias=False)

    def forward(self, x):
        return self.deconv(x)


class SegResEncoder(nn.Module):
    def __init__(self, in_channels, c):
        super().__init__()
        self.conv_init = conv3(in_channels, c)
        self.layers = nn.ModuleList()
        n = len(BLOCKS_DOWN)
        for level, nb in enumerate(BLOCKS_DOWN):
            ch = c * 2 ** level
            self.layers.append(nn.ModuleDict({
                "blocks": nn.Sequential(*[SegResBlock(ch) for _ in range(nb)]),
                "downsample": conv3(ch, 2 * ch, stride=2) if level < n - 1 else nn.Identity(),
            }))

    def forward(self, x):
        skips = []
        x = self.conv_init(x)
        for level in self.layers:
            x = level["blocks"](x)
            skips.append(x)
            x = level["downsample"](x)
        return skips  # s0 (C, full res) .. s4 (16C, 1/16 res)


def make_decoder(c):
    ups = nn.ModuleList()
    for i in range(4):
        ch = c * 2 ** (3 - i)
        ups.append(nn.ModuleDict({
            "upsample": Deconv(2 * ch, ch),
            "blocks": nn.Sequential(SegResBlock(ch)),
            "head": nn.Conv3d(ch, ch, kernel_size=1, bias=True) if i == 3 else nn.Identity(),
        }))
    return ups


def run_decoder(ups, skips):
    x = skips[4]
    for i, level in enumerate(ups):
        x = level["upsample"](x)
        x = x + skips[3 - i]
        x = level["blocks"](x)
    return ups[3]["head"](x)


class SegResNetDS2(nn.Module):
    def __init__(self, in_channels, c):
        super().__init__()
        self.encoder = SegResEncoder(in_channels, c)
        self.up_layers = make_decoder(c)
        self.up_layers_auto = make_decoder(c)

    def encode(self, x):
        for a in x.shape[2:]:
            if int(a) % 16:
                raise ValueError(f"spatial size {tuple(x.shape[2:])} must be divisible by 16 on every axis")
        return self.encoder(x)

    def decode_point(self, skips):
        return run_decoder(self.up_layers, skips)

    def decode_auto(self, skips):
        return run_decoder(self.up_layers_auto, skips)

    def forward(self, x, with_point=True, with_label=True):
        skips = self.encode(x)
        out = self.decode_point(skips) if with_point else None
        out_auto = self.decode_auto(skips) if with_label else None
        return out, out_auto


# ------------------------------------------------------------------------------------------------------ class head
class ConvOnly(nn.Module):
    """Holder so the key reads ``conv1.conv.weight`` like MONAI's Convolution(conv_only=True)."""

    def __init__(self, c):
        super().__init__()
        self.conv = conv3(c, c)

    def forward(self, x):
        return self.conv(x)


class UnetResBlock(nn.Module):
    """t = lrelu(IN(conv1 x)); t = IN(conv2 t); y = lrelu(t + x); norms without affine."""

    def __init__(self, c):
        super().__init__()
        self.conv1 = ConvOnly(c)
        self.conv2 = ConvOnly(c)
        self.norm1 = nn.InstanceNorm3d(c, affine=False, eps=1e-5)
        self.norm2 = nn.InstanceNorm3d(c, affine=False, eps=1e-5)

    def forward(self, x):
        t = F.leaky_relu(self.norm1(self.conv1(x)), 0.01)
        t = self.norm2(self.conv2(t))
        return F.leaky_relu(t + x, 0.01)


class UnetrBasicBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = UnetResBlock(c)

    def forward(self, x):
        return self.layer(x)


class ClassMappingClassify(nn.Module):
    def __init__(self, c, n_classes=N_CLASSES):
        super().__init__()
        self.image_post_mapping = nn.Sequential(UnetrBasicBlock(c), UnetrBasicBlock(c))
        self.class_embeddings = nn.Embedding(n_classes, c)
        self.mlp = nn.Sequential(nn.Linear(c, c), nn.InstanceNorm1d(1), nn.GELU(), nn.Linear(c, c))

    def embed(self, class_vector):
        """class_vector int64 [n,1] -> MLP-mapped embedding [n,1,C]."""
        return self.mlp(self.class_embeddings(class_vector))

    @staticmethod
    def logits_from_features(mapped, emb):
        """mapped [B,C,X,Y,Z] (after image_post_mapping), emb [n,1,C] -> logits [n,B,X,Y,Z]."""
        b, c = mapped.shape[0], mapped.shape[1]
        out = []
        for i in range(b):
            m = emb @ mapped[i:i + 1].reshape(1, c, -1)  # [n,1,T]
            out.append(m.reshape((m.shape[0], 1) + tuple(mapped.shape[2:])))
        return torch.cat(out, 1)

    def forward(self, src, class_vector):
        mapped = self.image_post_mapping(src)
        emb = self.embed(class_vector)
        return self.logits_from_features(mapped, emb), emb


# ------------------------------------------------------------------------------------------------------ point head
class Attention(nn.Module):
    def __init__(self, dim, heads, downsample_rate=1):
        super().__init__()
        self.heads = heads
        inner = dim // downsample_rate
        if inner % heads:
            raise ValueError(f"attention width {inner} not divisible by {heads} heads")
        self.q_proj = nn.Linear(dim, inner)
        self.k_proj = nn.Linear(dim, inner)
        self.v_proj = nn.Linear(dim, inner)
        self.out_proj = nn.Linear(inner, dim)

    def _split(self, x):
        b, n, c = x.shape
        return x.reshape(b, n, self.heads, c // self.heads).transpose(1, 2)

    def forward(self, q, k, v):
        q, k, v = self._split(self.q_proj(q)), self._split(self.k_proj(k)), self._split(self.v_proj(v))
        dh = q.shape[-1]
        a = (q @ k.permute(0, 1, 3, 2)) / math.sqrt(dh)
        a = torch.softmax(a, dim=-1)
        o = (a @ v).transpose(1, 2)
        o = o.reshape(o.shape[0], o.shape[1], -1)
        return self.out_proj(o)


class MLPBlock(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.linear1 = nn.Linear(dim, hidden)
        self.linear2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.linear2(F.relu(self.linear1(x)))


class TwoWayAttentionBlock(nn.Module):
    def __init__(self, dim, heads, mlp_dim, skip_first_layer_pe):
        super().__init__()
        self.self_attn = Attention(dim, heads)
        self.norm1 = nn.LayerNorm(dim)
        self.cross_attn_token_to_image = Attention(dim, heads, downsample_rate=2)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = MLPBlock(dim, mlp_dim)
        self.norm3 = nn.LayerNorm(dim)
        self.norm4 = nn.LayerNorm(dim)
        self.cross_attn_image_to_token = Attention(dim, heads, downsample_rate=2)
        self.skip_first_layer_pe = skip_first_layer_pe

    def forward(self, queries, keys, query_pe, key_pe):
        if self.skip_first_layer_pe:
            queries = self.self_attn(queries, queries, queries)  # SAM: no residual, no PE in the first layer
        else:
            q = queries + query_pe
            queries = queries + self.self_attn(q, q, queries)
        queries = self.norm1(queries)
        q, k = queries + query_pe, keys + key_pe
        queries = self.norm2(queries + self.cross_attn_token_to_image(q, k, keys))
        queries = self.norm3(queries + self.mlp(queries))
        q, k = queries + query_pe, keys + key_pe
        keys = self.norm4(keys + self.cross_attn_image_to_token(k, q, queries))
        return queries, keys


class TwoWayTransformer(nn.Module):
    def __init__(self, dim, depth=2, heads=4, mlp_dim=512):
        super().__init__()
        self.layers = nn.ModuleList([TwoWayAttentionBlock(dim, heads, mlp_dim, i == 0) for i in range(depth)])
        self.final_attn_token_to_image = Attention(dim, heads, downsample_rate=2)
        self.norm_final_attn = nn.LayerNorm(dim)

    def forward(self, image_embedding, image_pe, point_embedding):
        keys = image_embedding.flatten(2).permute(0, 2, 1)
        key_pe = image_pe.flatten(2).permute(0, 2, 1)
        queries = point_embedding
        for layer in self.layers:
            queries, keys = layer(queries, keys, point_embedding, key_pe)
        q, k = queries + point_embedding, keys + key_pe
        queries = self.norm_final_attn(queries + self.final_attn_token_to_image(q, k, keys))
        return queries, keys


class PositionEmbeddingRandom(nn.Module):
    def __init__(self, num_pos_feats):
        super().__init__()
        # values always come from the checkpoint (§8 Q31); randn only gives --init-seed packages a valid matrix
        self.register_buffer("positional_encoding_gaussian_matrix", torch.randn((3, num_pos_feats)))

    def _encode(self, coords):
        coords = 2 * coords - 1
        coords = coords @ self.positional_encoding_gaussian_matrix
        coords = 2 * math.pi * coords
        return torch.cat([torch.sin(coords), torch.cos(coords)], dim=-1)

    def forward_with_coords(self, coords_input, image_size):
        """coords already shifted by +0.5; image_size = full-resolution (X,Y,Z) as ints or a float tensor [3]."""
        if isinstance(image_size, torch.Tensor):
            coords = coords_input / image_size.to(coords_input.dtype)
        else:
            size = torch.tensor([float(s) for s in image_size], dtype=coords_input.dtype)
            coords = coords_input / size
        return self._encode(coords.to(torch.float32))

    def dense_like(self, feat):
        """Dense code [C, h, w, d] for the grid of feat [_, _, h, w, d]; cell centres (i+0.5)/n.

        Built from cumulative sums of ones (as MONAI does) so ONNX keeps the spatial size dynamic."""
        ones = torch.ones_like(feat[0, 0])
        cx, cy, cz = ones.cumsum(0), ones.cumsum(1), ones.cumsum(2)
        x = (cx - 0.5) / cx[-1:, :, :]
        y = (cy - 0.5) / cy[:, -1:, :]
        z = (cz - 0.5) / cz[:, :, -1:]
        return self._encode(torch.stack([x, y, z], dim=-1)).permute(3, 0, 1, 2)

    def forward(self, size):
        return self.dense_like(torch.zeros((1, 1) + tuple(int(s) for s in size)))


class MLP(nn.Module):
    def __init__(self, dim, hidden, out, num_layers):
        super().__init__()
        dims = [dim] + [hidden] * (num_layers - 1)
        outs = [hidden] * (num_layers - 1) + [out]
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in zip(dims, outs)])

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = F.relu(x)
        return x


class PointMappingSAM(nn.Module):
    def __init__(self, c, n_classes=N_CLASSES, last_supported=LAST_SUPPORTED, max_prompt=MAX_PROMPT):
        super().__init__()
        self.feat_downsample = nn.Sequential(
            nn.Conv3d(c, c, 3, stride=2, padding=1), nn.InstanceNorm3d(c), nn.GELU(),
            nn.Conv3d(c, c, 3, stride=1, padding=1), nn.InstanceNorm3d(c))
        self.mask_downsample = nn.Conv3d(2, 2, 3, stride=2, padding=1)  # unused (§8 Q32), kept for the layout
        self.transformer = TwoWayTransformer(c)
        self.pe_layer = PositionEmbeddingRandom(c // 2)
        self.point_embeddings = nn.ModuleList([nn.Embedding(1, c), nn.Embedding(1, c)])
        self.not_a_point_embed = nn.Embedding(1, c)
        self.special_class_embed = nn.Embedding(1, c)
        self.mask_tokens = nn.Embedding(1, c)
        self.output_upscaling = nn.Sequential(
            nn.ConvTranspose3d(c, c, 3, stride=2, padding=1, output_padding=1), nn.InstanceNorm3d(c), nn.GELU(),
            nn.Conv3d(c, c, 3, stride=1, padding=1))
        self.output_hypernetworks_mlps = MLP(c, c, c, 3)
        self.class_embeddings = nn.Embedding(n_classes, c)  # unused (§8 Q32)
        self.zeroshot_embed = nn.Embedding(1, c)
        self.supported_embed = nn.Embedding(1, c)
        self.last_supported = last_supported
        self.max_prompt = max_prompt

    def label_table(self):
        """Additive embedding per label -1, 0, 1, 2, 3 (row = label + 1)."""
        e0, e1 = self.point_embeddings[0].weight, self.point_embeddings[1].weight
        sp = self.special_class_embed.weight
        return torch.cat([self.not_a_point_embed.weight, e0, e1, e0 + sp, e1 + sp], 0)

    def point_tokens(self, point_coords, point_labels, full_size):
        """PE of the clicks plus label embeddings -> [n,N,C]; label -1 -> PE zeroed + not_a_point_embed."""
        pe = self.pe_layer.forward_with_coords(point_coords + 0.5, full_size)
        keep = (point_labels != -1).to(pe.dtype).unsqueeze(-1)
        return pe * keep + F.embedding(point_labels + 1, self.label_table())

    def class_tokens(self, zero_shot):
        """zero_shot bool [n] -> class-type token [n,1,C] (zeroshot_embed / supported_embed)."""
        zs = zero_shot.reshape(-1, 1, 1)
        return torch.where(zs, self.zeroshot_embed.weight.unsqueeze(0), self.supported_embed.weight.unsqueeze(0))

    def logits_from_tokens(self, out_low, tokens, full_shape_of):
        """out_low [1,C,h,w,d] (after feat_downsample), tokens [m,N+2,C] -> logits [m,1,2h,2w,2d]."""
        m = tokens.shape[0]
        src = out_low.expand(m, -1, -1, -1, -1)
        pos = self.pe_layer.dense_like(out_low).unsqueeze(0).expand(m, -1, -1, -1, -1)
        b, c, h, w, d = src.shape
        hs, keys = self.transformer(src, pos, tokens)
        hyper = self.output_hypernetworks_mlps(hs[:, :1, :])  # [m,1,C]
        keys = keys.transpose(1, 2).reshape(b, c, h, w, d)
        up = self.output_upscaling(keys)
        masks = hyper @ up.reshape(b, c, -1)
        return masks.reshape((b, 1) + tuple(up.shape[2:]))

    def forward(self, out, point_coords, point_labels, class_vector=None):
        out_low = self.feat_downsample(out)
        n = point_coords.shape[0]
        pts = self.point_tokens(point_coords, point_labels, tuple(int(s) for s in out.shape[-3:]))
        if class_vector is None:
            zero_shot = torch.zeros(n, dtype=torch.bool)
        else:
            zero_shot = class_vector.reshape(n) > self.last_supported
        tokens = torch.cat([self.mask_tokens.weight.unsqueeze(0).expand(n, -1, -1), pts,
                            self.class_tokens(zero_shot)], dim=1)
        chunks = [self.logits_from_tokens(out_low, tokens[i:i + self.max_prompt], None)
                  for i in range(0, n, self.max_prompt)]
        return torch.cat(chunks, 0)


# --------------------------------------------------------------------------------------------------------- wrapper
def gaussian_combine(logits, point_logits, point_coords, point_labels, mapping_index, radius=None):
    """Training-path blend used when classes and clicks come without patch_coords (§2.5 step 5)."""
    size = point_logits.shape[-3:]
    if radius is None:
        radius = min(int(s) for s in size) // 5
    grids = torch.meshgrid(*[torch.arange(int(s), dtype=torch.float32) for s in size], indexing="ij")
    coords = torch.stack(grids, 0)
    weight = torch.zeros((point_coords.shape[0], 1) + tuple(size))
    for b in range(point_coords.shape[0]):
        for n in range(point_coords.shape[1]):
            if point_labels[b, n] > -1:
                d2 = ((coords - point_coords[b, n].view(3, 1, 1, 1)) ** 2).sum(0)
                weight[b, 0] += torch.exp(-d2 / (2 * radius ** 2))
    weight = 1 - weight
    weight[weight < 0] = 0
    logits = logits.clone()
    logits[mapping_index] *= weight
    logits[mapping_index] += (1 - weight) * point_logits
    return logits


class VISTA3D(nn.Module):
    def __init__(self, image_encoder, class_head, point_head):
        super().__init__()
        self.image_encoder = image_encoder
        self.class_head = class_head
        self.point_head = point_head

    def forward(self, input_images, point_coords=None, point_labels=None, class_vector=None, prompt_class=None,
                radius=None, transpose=False, patch_coords=None, prev_mask=None, **ignored):
        """MONAI ``VISTA3D.forward`` for whole-patch calls (no ``patch_coords`` / ``prev_mask``)."""
        if patch_coords is not None or prev_mask is not None:
            raise NotImplementedError("windowed calls (patch_coords/prev_mask) are the Java pipeline's job")
        size = tuple(input_images.shape[-3:])
        if point_coords is None and class_vector is None:
            return NINF_VALUE + torch.zeros((1, 1) + size)
        n = class_vector.shape[0] if class_vector is not None else point_coords.shape[0]
        mapping_index = None
        if point_coords is not None and point_labels is not None:
            mapping_index = (point_labels != -1).sum(1) > 0
            if bool(mapping_index.any()):
                point_coords, point_labels = point_coords[mapping_index], point_labels[mapping_index]
                if prompt_class is not None:
                    prompt_class = prompt_class[mapping_index]
            elif class_vector is None:
                mapping_index = torch.ones_like(mapping_index)
            else:
                point_coords = point_labels = None
        out, out_auto = self.image_encoder(input_images, with_point=point_coords is not None,
                                           with_label=class_vector is not None)
        if class_vector is not None:
            logits, _ = self.class_head(out_auto, class_vector)
            if point_coords is not None:
                pl = self.point_head(out, point_coords, point_labels, class_vector=prompt_class)
                logits = gaussian_combine(logits, pl, point_coords, point_labels, mapping_index, radius)
        else:
            logits = NINF_VALUE + torch.zeros((n, 1) + size, dtype=out.dtype)
            logits[mapping_index] = self.point_head(out, point_coords, point_labels, class_vector=prompt_class)
        return logits.transpose(1, 0) if transpose else logits


def vista3d132(encoder_embed_dim=48, in_channels=1):
    c = encoder_embed_dim
    if c % 8:
        raise ValueError(f"encoder_embed_dim must be a multiple of 8 (cross-attention heads), got {c}")
    return VISTA3D(SegResNetDS2(in_channels, c), ClassMappingClassify(c), PointMappingSAM(c))
